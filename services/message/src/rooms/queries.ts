import { reject, type Rejection, type Result, type Room } from '@chat/contracts';
import type { MessageReadModel } from '../read-model/port';

export interface Viewer {
  userId: string;
  isAdmin: boolean;
}

/**
 * The read side of the access rules the decider enforces (see `rooms/access.ts`): a private
 * room does not exist for an outsider; an administrator sees every room.
 */
export const findVisibleRoom = async (
  readModel: MessageReadModel,
  roomId: string,
  viewer: Viewer,
): Promise<Result<Room, Rejection>> => {
  const room = await readModel.findRoom(roomId, viewer.userId);
  if (!room || (room.private && room.role === null && !viewer.isAdmin)) {
    return { ok: false, error: reject('room_not_found', 'Room not found.') };
  }
  return { ok: true, value: room };
};

/** The room, if the viewer belongs to it: only members read a room's history. */
export const findMemberRoom = async (
  readModel: MessageReadModel,
  roomId: string,
  viewer: Viewer,
): Promise<Result<Room, Rejection>> => {
  const found = await findVisibleRoom(readModel, roomId, viewer);
  if (found.ok && found.value.role === null) {
    return { ok: false, error: reject('not_member', 'You are not a member of this room.') };
  }
  return found;
};
