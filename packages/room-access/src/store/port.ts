import type { MemberRole, RoomAccess } from '@chat/contracts';

/** How far one partition of `room.access` has been read: the offset of the next record to read. */
export interface ReadOffset {
  partition: number;
  nextOffset: number;
}

/** One room a user belongs to, as `roomsOf` lists it. */
export interface UserRoom {
  room_id: string;
  role: MemberRole;
  joined_after_seq: number;
}

/**
 * Where a consumer of `room.access` keeps the newest record of every room, and how far it read.
 * One conformance suite (`./conformance`) holds every adapter to this contract.
 */
export interface RoomAccessStore {
  /**
   * Names this store's contents: a new id for a store that starts empty (a new file, an emptied
   * database). The consumer group is named after it, so an empty store is filled again from the
   * start of the compacted topic.
   */
  generation(): Promise<string>;
  /**
   * Saves records read from `room.access` together with how far each partition was read (the next
   * offset to read), atomically where the engine allows (SQLite: one transaction). A record
   * replaces its room's stored state only if its `revision` is higher than the stored one: records
   * arrive at least once and a republished older state must never undo a newer one. Read offsets
   * only move forward. Many records at once (a whole batch) must be cheap: one transaction / bulk
   * call, not a round trip per record.
   */
  save(records: RoomAccess[], read: ReadOffset[]): Promise<void>;
  /** The newest state of the room (deleted rooms included, with `deleted: true`); null if never seen. */
  get(roomId: string): Promise<RoomAccess | null>;
  /** The rooms, not deleted, the user is a member of, by room id. */
  roomsOf(userId: string): Promise<UserRoom[]>;
  /** How far each partition has been saved (partitions never saved are absent), by partition. */
  readOffsets(): Promise<ReadOffset[]>;
  close(): Promise<void>;
}
