import type { MembershipChange, RoomMembers } from '../rooms/membership';
import { oldestLease, type PresenceState } from '../users/presence';
import type { PresenceStore } from './port';

/**
 * The embedded adapter: everything in this process's memory. Presence is rebuilt within one
 * heartbeat period after a restart; the rooms are replayed from `message.events`, since every
 * instance is a new generation.
 */
export class InMemoryPresenceStore implements PresenceStore {
  private readonly id = crypto.randomUUID();
  private readonly users = new Map<string, PresenceState>();
  /** Whether each known room is private; a room is known from its creation to its deletion. */
  private readonly privacy = new Map<string, boolean>();
  private readonly members = new Map<string, Set<string>>();
  private readonly roomsByUser = new Map<string, Set<string>>();

  async generation(): Promise<string> {
    return this.id;
  }

  async getUser(userId: string): Promise<PresenceState | null> {
    const state = this.users.get(userId);
    return state ? structuredClone(state) : null;
  }

  async getUsers(userIds: string[]): Promise<(PresenceState | null)[]> {
    return Promise.all(userIds.map((userId) => this.getUser(userId)));
  }

  async putUser(state: PresenceState): Promise<void> {
    this.users.set(state.user_id, structuredClone(state));
  }

  async usersSeenBefore(time: number): Promise<string[]> {
    return [...this.users.values()].flatMap((state) => {
      const oldest = oldestLease(state);
      return oldest !== null && oldest < time ? [state.user_id] : [];
    });
  }

  async applyMembership(change: MembershipChange): Promise<void> {
    switch (change.kind) {
      case 'room_saved':
        this.privacy.set(change.room_id, change.private);
        return;
      case 'room_deleted':
        for (const userId of this.members.get(change.room_id) ?? []) {
          this.roomsByUser.get(userId)?.delete(change.room_id);
        }
        this.members.delete(change.room_id);
        this.privacy.delete(change.room_id);
        return;
      case 'member_added':
        add(this.members, change.room_id, change.user_id);
        add(this.roomsByUser, change.user_id, change.room_id);
        return;
      case 'member_removed':
        this.members.get(change.room_id)?.delete(change.user_id);
        this.roomsByUser.get(change.user_id)?.delete(change.room_id);
        return;
    }
  }

  async room(roomId: string): Promise<RoomMembers | null> {
    const isPrivate = this.privacy.get(roomId);
    if (isPrivate === undefined) return null;
    return { private: isPrivate, members: [...(this.members.get(roomId) ?? [])] };
  }

  async roomsOf(userId: string): Promise<string[]> {
    return [...(this.roomsByUser.get(userId) ?? [])];
  }

  async close(): Promise<void> {}
}

const add = (sets: Map<string, Set<string>>, key: string, value: string) =>
  sets.set(key, (sets.get(key) ?? new Set()).add(value));
