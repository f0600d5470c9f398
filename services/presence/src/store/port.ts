import type { PresenceState } from '../users/presence';

/**
 * Where the presence service keeps users' presence. Redis in the fleet (shared by every replica),
 * in memory in the embedded app; both pass `conformance.ts`. Who is in which room is not kept
 * here: the room access view answers it.
 */
export interface PresenceStore {
  getUser(userId: string): Promise<PresenceState | null>;
  /** In the order asked; null for a user never heard of. */
  getUsers(userIds: string[]): Promise<(PresenceState | null)[]>;
  putUser(state: PresenceState): Promise<void>;
  /** Users with a connection last heard from before `time` (ms since the epoch). */
  usersSeenBefore(time: number): Promise<string[]>;
  /**
   * Forgets the user, whose data was erased, for good: their state (last seen included) goes, and
   * `putUser` keeps nothing of theirs afterwards (their sockets' last signals arrive after this).
   */
  eraseUser(userId: string): Promise<void>;

  close(): Promise<void>;
}
