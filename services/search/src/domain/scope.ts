import { reject, type Rejection } from '@chat/contracts';
import type { RoomAccess } from '../application/search-index';

/**
 * The membership filter. Only members find a room's messages — public rooms included, since only
 * members read a room's history — so a search covers exactly the caller's rooms. Asked for one
 * room, search answers as history does: a private room the caller is not in does not exist for
 * them (nor does a missing or deleted one), and a public one says they are not a member.
 */
export const refuseUnsearchable = (access: RoomAccess | null): Rejection | null => {
  if (!access || (access.private && !access.member)) return reject('room_not_found', 'Room not found.');
  return access.member ? null : reject('not_member', 'You are not a member of this room.');
};
