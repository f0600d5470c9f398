import { reject, type MessageServiceEvent, type Rejection } from '@chat/contracts';

/** What one of the message service's events changes in the presence service's view of rooms. */
export type MembershipChange =
  | { kind: 'room_saved'; room_id: string; private: boolean }
  | { kind: 'room_deleted'; room_id: string }
  | { kind: 'member_added'; room_id: string; user_id: string }
  | { kind: 'member_removed'; room_id: string; user_id: string };

/** A room as the presence service knows it: whether it is private, and who its members are. */
export interface RoomMembers {
  private: boolean;
  members: string[];
}

export const membershipChangeOf = (event: MessageServiceEvent): MembershipChange | null => {
  switch (event.type) {
    case 'RoomCreated':
    case 'RoomUpdated':
      return { kind: 'room_saved', room_id: event.data.room_id, private: event.data.private };
    case 'RoomDeleted':
      return { kind: 'room_deleted', room_id: event.data.room_id };
    case 'MemberJoined':
      return { kind: 'member_added', room_id: event.data.room_id, user_id: event.data.user_id };
    case 'MemberLeft':
      return { kind: 'member_removed', room_id: event.data.room_id, user_id: event.data.user_id };
    default:
      return null;
  }
};

/**
 * Who may see the presence of a room's members: its members only, as with its history. To anyone
 * else a private room does not exist (nor does a missing or deleted one); a public room says
 * they are not a member — it is open, they may join it and then see.
 */
export const refuseRoomPresence = (room: RoomMembers | null, userId: string): Rejection | null => {
  const member = room?.members.includes(userId) ?? false;
  if (!room || (room.private && !member)) return reject('room_not_found', 'Room not found.');
  return member ? null : reject('not_member', 'You are not a member of this room.');
};
