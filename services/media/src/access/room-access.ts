import { reject, type Rejection } from '@chat/contracts';

/** What the media service's view knows of a user in a room. */
export interface RoomAccess {
  private: boolean;
  member: boolean;
}

/**
 * Files are for the members of their room only, under the message service's rules: to an
 * outsider a private room does not exist (`room_not_found`), exactly like a room that does not
 * (or no longer) exist; a public room's outsider is told to join it first.
 */
export const refuseOutsider = (room: RoomAccess | null): Rejection | null => {
  if (!room || (room.private && !room.member)) return reject('room_not_found', 'Room not found.');
  return room.member ? null : reject('not_member', 'You are not a member of this room.');
};
