import type { Rejection, Result, Room } from '@chat/contracts';
import { refuseNonMember, refuseUnseen, type RoomFacts, type Viewer } from '@chat/room-access';
import type { MessageReadModel } from '../read-model/port';

export type { Viewer } from '@chat/room-access';

/**
 * What the read model's room tells of the viewer, for the one rule of `@chat/room-access`. The read
 * model keeps no bans or mutes: a ban removes the member, so a banned user is refused as the
 * outsider they became; the decider and the other services read the ban itself.
 */
const factsFor = (room: Room | null, viewer: Viewer): RoomFacts | null =>
  room && {
    deleted: false,
    private: room.private,
    ownerId: room.owner_id,
    roleOf: (userId) => (userId === viewer.userId ? room.role : null),
    isBanned: () => false,
    isMuted: () => false,
  };

const checked = async (
  readModel: MessageReadModel,
  roomId: string,
  viewer: Viewer,
  refuse: (room: RoomFacts | null, viewer: Viewer) => Rejection | null,
): Promise<Result<Room, Rejection>> => {
  const room = await readModel.findRoom(roomId, viewer.userId);
  const refusal = refuse(factsFor(room, viewer), viewer);
  return refusal ? { ok: false, error: refusal } : { ok: true, value: room! };
};

/** The room, if the viewer may know it exists: a private room does not for an outsider. */
export const findVisibleRoom = (readModel: MessageReadModel, roomId: string, viewer: Viewer) =>
  checked(readModel, roomId, viewer, refuseUnseen);

/** The room, if the viewer belongs to it: only members read a room's history. */
export const findMemberRoom = (readModel: MessageReadModel, roomId: string, viewer: Viewer) =>
  checked(readModel, roomId, viewer, refuseNonMember);
