import { oldestLease, type PresenceState } from '../users/presence';
import type { PresenceStore } from './port';

/**
 * The embedded adapter: everything in this process's memory. Presence is rebuilt within one
 * heartbeat period after a restart.
 */
export class InMemoryPresenceStore implements PresenceStore {
  private readonly users = new Map<string, PresenceState>();
  private readonly erased = new Set<string>();

  async getUser(userId: string): Promise<PresenceState | null> {
    const state = this.users.get(userId);
    return state ? structuredClone(state) : null;
  }

  async getUsers(userIds: string[]): Promise<(PresenceState | null)[]> {
    return Promise.all(userIds.map((userId) => this.getUser(userId)));
  }

  async putUser(state: PresenceState): Promise<void> {
    if (!this.erased.has(state.user_id)) this.users.set(state.user_id, structuredClone(state));
  }

  async eraseUser(userId: string): Promise<void> {
    this.erased.add(userId);
    this.users.delete(userId);
  }

  async usersSeenBefore(time: number): Promise<string[]> {
    return [...this.users.values()].flatMap((state) => {
      const oldest = oldestLease(state);
      return oldest !== null && oldest < time ? [state.user_id] : [];
    });
  }

  async close(): Promise<void> {}
}
