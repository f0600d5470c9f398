import type { ServerFrameOf, UnreadAnnounced } from '@chat/contracts';
import type { GatewayContext } from '../context';

/**
 * Unread counts from the notification service, as an `unread` frame to the sockets of the user
 * this gateway holds: the one connection that just opened, or all of them.
 */
export const deliverUnread = (ctx: GatewayContext, announced: UnreadAnnounced): void => {
  if (announced.gateway !== null && announced.gateway !== ctx.instanceId) return;
  const frame: ServerFrameOf<'unread'> = { type: 'unread', rooms: announced.rooms };
  const text = JSON.stringify(frame);
  for (const connection of ctx.usersOnline.get(announced.user_id) ?? []) {
    if (announced.connection_id === null || announced.connection_id === connection.id) {
      ctx.outbox.sendRaw(connection, text, 'unread');
    }
  }
};
