import type { Bus } from '@chat/bus';
import { Topics, type UnreadAnnounced } from '@chat/contracts';
import type { UnreadCounts } from './unread-counts';

/**
 * Tells a user's sockets their unread counts, through `notification.unread` (every gateway
 * delivers to the sockets it holds): what a returning user missed, and read marks kept in step
 * across their devices.
 */
export interface UnreadAnnouncer {
  /** A connection authenticated: every room of the user, to that connection alone. */
  connectionOpened(connection: { user_id: string; connection_id: string; gateway: string }): Promise<void>;
  /** The user's read mark in the room moved: the room's count, to every connection of the user. */
  readMarkMoved(userId: string, roomId: string): Promise<void>;
}

export const createUnreadAnnouncer = (deps: { bus: Bus; unreadCounts: UnreadCounts }): UnreadAnnouncer => {
  const announce = async (announced: UnreadAnnounced) =>
    deps.bus.publish(Topics.notificationUnread, [
      { key: announced.user_id, value: JSON.stringify(announced) },
    ]);
  return {
    async connectionOpened({ user_id, connection_id, gateway }) {
      const rooms = await deps.unreadCounts(user_id);
      await announce({ user_id, connection_id, gateway, rooms });
    },
    async readMarkMoved(userId, roomId) {
      const rooms = await deps.unreadCounts(userId, roomId);
      if (rooms.length > 0) await announce({ user_id: userId, connection_id: null, gateway: null, rooms });
    },
  };
};
