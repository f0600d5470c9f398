import type { ClientFrameOf } from '@chat/contracts';
import { publishCommand } from '../commands/command-publisher';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { Connection } from '../sessions/connection';
import { withinLimit } from '../limits/user-limits';

/**
 * `react`: adds or removes the user's reaction to a message, decided on the room's stream like
 * edits. The reactor gets `reaction_ack` with the emoji's count; the room's sockets get `reaction`
 * through the fan-out when something changed. A repeated add or remove changes nothing, so the
 * command needs no derived id: a random one is enough.
 */
export const handleReact = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'react'>,
  turn: FrameTurn,
): Promise<void> => {
  const ref = frame.client_msg_id ?? 'react';
  if (!ctx.settings.features.message_reactions) {
    return ctx.outbox.error(
      connection,
      'feature_disabled',
      'Reactions are disabled on this deployment.',
      ref,
    );
  }
  if (!(await withinLimit(ctx, connection, 'reactions', ref))) return;
  const { room_id, message_id, emoji, action } = frame;
  const command = { type: 'ReactToMessage' as const, data: { room_id, message_id, emoji, action } };
  const answer = await publishCommand(ctx, connection.principal!, command, crypto.randomUUID(), turn);
  if (answer.kind === 'timeout') {
    return ctx.outbox.error(connection, 'timeout', 'Not confirmed in time; send it again.', ref);
  }
  if (answer.kind === 'rejected') return ctx.outbox.error(connection, answer.code, answer.message, ref);
  if (answer.result.kind !== 'reaction') return;
  const { count } = answer.result;
  ctx.outbox.send(connection, {
    type: 'reaction_ack',
    client_msg_id: frame.client_msg_id ?? null,
    room_id,
    message_id,
    emoji,
    action,
    count,
  });
};
