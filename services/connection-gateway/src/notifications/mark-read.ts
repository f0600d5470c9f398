import {
  Topics,
  type ClientFrameOf,
  type NotificationCommandRecord,
  type NotificationRefused,
} from '@chat/contracts';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { Connection } from '../sessions/connection';

/**
 * `mark_read`: the user has read a room up to a seq. Published to `notification.commands`, keyed
 * by user id (one writer per user's stream); the notification service decides it and clears the
 * room's unread count. The answer is an `unread` frame with the room's new count, to every socket
 * of the user (their other devices clear the room too), and a `receipt` to the room's members. A
 * refusal (not a member, a seq beyond the room's newest) comes back as an `error` to this socket
 * (`deliverRefusal`).
 */
export const handleMarkRead = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'mark_read'>,
  turn: FrameTurn,
): Promise<void> => {
  const userId = connection.principal!.userId;
  const record: NotificationCommandRecord = {
    command_id: crypto.randomUUID(),
    correlation_id: turn.correlationId,
    actor_id: userId,
    issued_at: new Date().toISOString(),
    command: { type: 'MarkRead', data: { room_id: frame.room_id, seq: frame.seq } },
    reply_to: { gateway: ctx.instanceId, connection_id: connection.id },
  };
  const published = ctx.bus.publish(Topics.notificationCommands, [
    { key: userId, value: JSON.stringify(record), headers: { correlation_id: turn.correlationId } },
  ]);
  turn.end();
  await published;
};

/** A refused `mark_read` of one of this gateway's sockets: an `error` to that socket, if still open. */
export const deliverRefusal = (ctx: GatewayContext, refused: NotificationRefused): void => {
  if (refused.gateway !== ctx.instanceId) return;
  for (const connection of ctx.usersOnline.get(refused.user_id) ?? []) {
    if (connection.id === refused.connection_id) {
      ctx.outbox.error(connection, refused.code, refused.message, refused.ref);
    }
  }
};
