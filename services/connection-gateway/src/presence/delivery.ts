import type { PresenceChanged, RoomPresenceShown, ServerFrameOf, TypingSignal } from '@chat/contracts';
import type { GatewayContext } from '../context';

/**
 * A status change, to this gateway's sockets in any of the user's rooms: each gets it once, not
 * once per shared room, so it is sent per socket rather than published to every room's topic.
 */
export const deliverPresence = (ctx: GatewayContext, change: PresenceChanged): void => {
  const frame: ServerFrameOf<'presence'> = {
    type: 'presence',
    user_id: change.user_id,
    status: change.status,
    last_seen: change.last_seen,
  };
  const text = JSON.stringify(frame);
  for (const connection of ctx.fanout.subscribersOf(change.room_ids)) {
    ctx.outbox.sendRaw(connection, text, 'presence');
  }
};

/** A room's presence, to the one connection of this gateway that joined it. */
export const showRoomPresence = (ctx: GatewayContext, shown: RoomPresenceShown): void => {
  if (shown.gateway !== ctx.instanceId) return;
  for (const connection of ctx.usersOnline.get(shown.user_id) ?? []) {
    if (connection.id !== shown.connection_id) continue;
    for (const member of shown.members) ctx.outbox.send(connection, { type: 'presence', ...member });
  }
};

/** A typing start or stop, to the room's topic; the typer's own socket, when here, is left out. */
export const showTyping = (ctx: GatewayContext, signal: TypingSignal): void => {
  const frame: ServerFrameOf<'typing'> = {
    type: 'typing',
    room_id: signal.room_id,
    user_id: signal.user_id,
    state: signal.state,
  };
  const typer =
    signal.gateway === ctx.instanceId
      ? [...(ctx.usersOnline.get(signal.user_id) ?? [])].find(({ id }) => id === signal.connection_id)
      : undefined;
  ctx.fanout.publishToRoom(signal.room_id, frame, typer);
};
