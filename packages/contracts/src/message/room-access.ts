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
  revision: Type.Integer({
    minimum: 0,
    description: "The room stream's revision this state was read at: a newer record has a higher one.",
  }),
});
export type RoomAccess = Static<typeof RoomAccess>;
