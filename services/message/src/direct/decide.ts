import { reject, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import type { RoomCommandOf, RoomEvent } from '../room-command';
import { memberJoined } from '../rooms/decide';
import type { RoomState } from '../rooms/room';
import { directMembersOf, directRoomId } from './room-id';

/**
 * Nobody owns a direct room: its members are equal, and none may manage what the other wrote. The
 * platform's own id holds the owner's place, as for `general` (no token may speak as it: the
 * authenticator refuses the id).
 */
export const DIRECT_ROOM_OWNER = 'system';

/** Opens the pair's room, or finds it open: the same pair always gets the same room, whoever asks first. */
export const decideOpenDirectRoom = (
  { data, context }: RoomCommandOf<'OpenDirectRoom'>,
  state: RoomState,
): Result<RoomEvent[], Rejection> => {
  const roomId = directRoomId(context.actor_id, data.user_id);
  if (data.room_id !== roomId) {
    return refuse(reject('invalid_request', `The direct room of this pair is ${roomId}.`));
  }
  if (state.status !== 'absent') {
    return state.kind === 'direct'
      ? accept()
      : refuse(reject('room_exists', `Room ${roomId} already exists.`));
  }
  const members = directMembersOf(context.actor_id, data.user_id);
  return accept(
    {
      type: 'RoomCreated',
      data: {
        room_id: roomId,
        name: '',
        private: true,
        owner_id: DIRECT_ROOM_OWNER,
        created_at: context.decided_at,
        kind: 'direct',
        members,
        ...(data.encryption === 'mls' ? { encryption: 'mls' as const } : {}),
      },
    },
    ...members.map((userId) => memberJoined(roomId, userId, 'member', context)),
  );
};
