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

  close(): Promise<void>;
}
