import type { UnreadCount } from '@chat/contracts';
import type { RoomAccessView } from '@chat/room-access';
import type { NotificationReadModel } from '../read-model/port';

/** A user's unread counts: in every room they are a member of, or in one (none if not a member). */
export type UnreadCounts = (userId: string, onlyRoomId?: string) => Promise<UnreadCount[]>;

/**
 * Unread counts from their two sources: the rooms the user is a member of, with their join
 * points, from the room access view; the messages and read marks from the read model.
 */
export const unreadCountsFrom =
  (deps: {
    access: Pick<RoomAccessView, 'roomsOf'>;
    readModel: Pick<NotificationReadModel, 'unreadCounts'>;
  }): UnreadCounts =>
  async (userId, onlyRoomId) => {
    const rooms = await deps.access.roomsOf(userId);
    const counted = onlyRoomId === undefined ? rooms : rooms.filter((room) => room.room_id === onlyRoomId);
    return deps.readModel.unreadCounts(userId, counted);
  };
