import type { RoomAccess } from '@chat/contracts';
import type { Loaded } from '@chat/event-sourcing';
import type { RoomEvent } from '../room-command';
import type { RoomState } from './room';

const ACCESS_EVENT_TYPES: ReadonlySet<RoomEvent['type']> = new Set([
  'RoomCreated',
  'RoomUpdated',
  'RoomDeleted',
  'MemberJoined',
  'MemberLeft',
]);

/** Whether the event changes who may access the room: its existence, its privacy, its members. */
export const changesAccess = (event: { type: string }): boolean =>
  ACCESS_EVENT_TYPES.has(event.type as RoomEvent['type']);

/** The room's whole access state as `room.access` carries it, read at the loaded revision. */
export const accessRecordOf = (roomId: string, { state, revision }: Loaded<RoomState>): RoomAccess => ({
  room_id: roomId,
  kind: state.kind,
  private: state.private,
  deleted: state.status === 'deleted',
  owner_id: state.ownerId,
  members: state.members
    .entries()
    .map(([user_id, { role, joined_at, joined_after_seq }]) => ({
      user_id,
      role,
      joined_at,
      joined_after_seq,
    }))
    .sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0)),
  revision: revision ?? 0,
});
