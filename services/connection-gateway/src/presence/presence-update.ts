import type { ClientFrameOf } from '@chat/contracts';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { Connection } from '../sessions/connection';
import { withinLimit } from '../limits/user-limits';

/**
 * `presence_update`: the status the members of the user's rooms see while the user is connected.
 * The presence service decides; the change comes back as a `presence` frame to the rooms' sockets,
 * this one included.
 */
export const handlePresenceUpdate = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'presence_update'>,
  turn: FrameTurn,
): Promise<void> => {
  if (!(await withinLimit(ctx, connection, 'presence', 'presence_update'))) return;
  const published = ctx.presence.statusSet(connection, frame.status);
  turn.end();
  await published;
};
