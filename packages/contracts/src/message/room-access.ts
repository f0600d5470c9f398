import { Type, type Static } from '@sinclair/typebox';
import { RoomId, Timestamp, UserId } from '../primitives';
import { MemberRole, RoomKind } from './events';

export const RoomAccessMember = Type.Object({
  user_id: UserId,
  role: MemberRole,
  joined_at: Timestamp,
  joined_after_seq: Type.Integer({
    minimum: 0,
    description: "The room's newest seq when the user joined: their messages start after it.",
  }),
});
export type RoomAccessMember = Static<typeof RoomAccessMember>;

/** A user refused the room (a ban) or its posting (a mute) until `until`; null: until lifted. */
export const RoomRestriction = Type.Object({
  user_id: UserId,
  until: Type.Union([Timestamp, Type.Null()]),
});
export type RoomRestriction = Static<typeof RoomRestriction>;

/**
 * The whole access state of one room, published by the message service on the compacted topic
 * `room.access` keyed by room id whenever it changes. Every other service decides who may read,
 * search, see presence of or fetch files of a room from the newest of these records, with the
 * one rule of `@chat/room-access`.
 */
export const RoomAccess = Type.Object({
  room_id: RoomId,
  kind: RoomKind,
  private: Type.Boolean(),
  /** A deleted room keeps its record (ids are never reused) and refuses everyone. */
  deleted: Type.Boolean(),
  owner_id: UserId,
  members: Type.Array(RoomAccessMember),
  /** Absent on records published before bans existed: none. */
  bans: Type.Optional(Type.Array(RoomRestriction)),
  /** Absent on records published before mutes existed: none. */
  mutes: Type.Optional(Type.Array(RoomRestriction)),
  /** The room's own retention in days; absent: the deployment's `messages.retention_days`. */
  retention_days: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  revision: Type.Integer({
    minimum: 0,
    description: "The room stream's revision this state was read at: a newer record has a higher one.",
  }),
});
export type RoomAccess = Static<typeof RoomAccess>;
