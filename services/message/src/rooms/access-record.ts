import type { RoomAccess } from '@chat/contracts';
import type { Loaded } from '@chat/event-sourcing';
import type { RoomEvent } from '../room-command';
import type { PersistentMap } from '../shared/persistent-map';
import type { Restriction, RoomState } from './room';

const byUserId = (a: { user_id: string }, b: { user_id: string }) =>
  a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0;

const restrictionsOf = (restrictions: PersistentMap<string, Restriction>) =>
  restrictions
    .entries()
    .map(([user_id, { until }]) => ({ user_id, until }))
    .sort(byUserId);

const ACCESS_EVENT_TYPES: ReadonlySet<RoomEvent['type']> = new Set([
  'RoomCreated',
  'RoomUpdated',
  'RoomDeleted',
  'RoomRetentionChanged',
  'MemberJoined',
  'MemberLeft',
  'MemberRoleChanged',
  'MemberBanned',
  'MemberUnbanned',
  'MemberMuted',
  'MemberUnmuted',
]);

/**
 * Whether the event changes the room's access record: its existence, its privacy, its members,
 * bans and mutes, and its retention (which search and other copies of its messages follow).
 */
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
    .sort(byUserId),
  bans: restrictionsOf(state.bans),
  mutes: restrictionsOf(state.mutes),
  ...(state.retentionDays === null ? {} : { retention_days: state.retentionDays }),
  revision: revision ?? 0,
});
