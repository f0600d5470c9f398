import { Type, type Static } from '@sinclair/typebox';
import { UserId } from '../primitives';
import { UnreadCount } from './rest';

/**
 * Unread counts for a user's sockets, on `notification.unread` keyed by user id, published by the
 * notification service for every gateway to deliver as an `unread` frame: to one connection when
 * it opened (all the user's rooms), or to all the user's connections when a read mark moved.
 */
export const UnreadAnnounced = Type.Object({
  user_id: UserId,
  connection_id: Type.Union([Type.String(), Type.Null()], {
    description: 'The connection that just opened; null: every connection of the user.',
  }),
  gateway: Type.Union([Type.String(), Type.Null()], {
    description: 'The gateway holding `connection_id`; null with it.',
  }),
  rooms: Type.Array(UnreadCount),
});
export type UnreadAnnounced = Static<typeof UnreadAnnounced>;
