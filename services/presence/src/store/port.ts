import type { MembershipChange, RoomMembers } from '../rooms/membership';
import type { PresenceState } from '../users/presence';

/**
 * Where the presence service keeps users' presence and its view of rooms and members. Redis in the
 * fleet (shared by every replica), in memory in the embedded app; both pass `conformance.ts`.
 */
export interface PresenceStore {
  /**
   * Names what the store holds, and changes when its contents are lost (a new in-memory store, an
   * emptied Redis). The membership projection names its consumer group after it, so a store that
   * lost its rooms gets `message.events` replayed from the start.
   */
  generation(): Promise<string>;

  getUser(userId: string): Promise<PresenceState | null>;
  /** In the order asked; null for a user never heard of. */
  getUsers(userIds: string[]): Promise<(PresenceState | null)[]>;
  putUser(state: PresenceState): Promise<void>;
  /** Users with a connection last heard from before `time` (ms since the epoch). */
  usersSeenBefore(time: number): Promise<string[]>;

  /** Applies one change; applying the same changes again, in order, changes nothing. */
  applyMembership(change: MembershipChange): Promise<void>;
  /** Null for a room never created, or deleted. */
  room(roomId: string): Promise<RoomMembers | null>;
  roomsOf(userId: string): Promise<string[]>;

  close(): Promise<void>;
}
