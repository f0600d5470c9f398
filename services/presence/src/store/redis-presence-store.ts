import type { Redis } from 'ioredis';
import type { MembershipChange, RoomMembers } from '../rooms/membership';
import { oldestLease, type PresenceState } from '../users/presence';
import type { PresenceStore } from './port';

/**
 * The fleet adapter, shared by every presence replica. Keys, under the connection's key prefix:
 * `presence:user:<id>` (the user's state, JSON), `presence:leases` (a sorted set of users by their
 * oldest connection's last heartbeat, which the sweeper reads), `presence:room:<id>` (the room's
 * privacy), `presence:members:<room>` and `presence:rooms-of:<user>` (sets), and
 * `presence:generation`. Each key family holds one kind of id, so ids containing `:` cannot
 * collide. A user's state and its lease entry change in one MULTI; a plain Redis (or a primary
 * with replicas) is assumed, not Cluster, whose slots would split them.
 */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace = 'presence:',
  ) {}

  private key(family: string, id = '') {
    return `${this.namespace}${family}${id}`;
  }

  async generation(): Promise<string> {
    await this.redis.set(this.key('generation'), crypto.randomUUID(), 'NX');
    return (await this.redis.get(this.key('generation')))!;
  }

  async getUser(userId: string): Promise<PresenceState | null> {
    const [state] = await this.getUsers([userId]);
    return state ?? null;
  }

  async getUsers(userIds: string[]): Promise<(PresenceState | null)[]> {
    if (userIds.length === 0) return [];
    const values = await this.redis.mget(userIds.map((userId) => this.key('user:', userId)));
    return values.map((value) => (value === null ? null : (JSON.parse(value) as PresenceState)));
  }

  async putUser(state: PresenceState): Promise<void> {
    const oldest = oldestLease(state);
    const transaction = this.redis.multi().set(this.key('user:', state.user_id), JSON.stringify(state));
    if (oldest === null) transaction.zrem(this.key('leases'), state.user_id);
    else transaction.zadd(this.key('leases'), oldest, state.user_id);
    await transaction.exec();
  }

  async usersSeenBefore(time: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('leases'), '-inf', `(${time}`);
  }

  async applyMembership(change: MembershipChange): Promise<void> {
    const room = this.key('room:', change.room_id);
    const members = this.key('members:', change.room_id);
    switch (change.kind) {
      case 'room_saved':
        await this.redis.set(room, change.private ? 'private' : 'public');
        return;
      case 'room_deleted': {
        // One consumer applies a room's changes, in order: nothing joins between these two steps.
        const userIds = await this.redis.smembers(members);
        const transaction = this.redis.multi();
        for (const userId of userIds) transaction.srem(this.key('rooms-of:', userId), change.room_id);
        await transaction.del(room, members).exec();
        return;
      }
      case 'member_added':
        await this.redis
          .multi()
          .sadd(members, change.user_id)
          .sadd(this.key('rooms-of:', change.user_id), change.room_id)
          .exec();
        return;
      case 'member_removed':
        await this.redis
          .multi()
          .srem(members, change.user_id)
          .srem(this.key('rooms-of:', change.user_id), change.room_id)
          .exec();
        return;
    }
  }

  async room(roomId: string): Promise<RoomMembers | null> {
    const [privacy, members] = await Promise.all([
      this.redis.get(this.key('room:', roomId)),
      this.redis.smembers(this.key('members:', roomId)),
    ]);
    return privacy === null ? null : { private: privacy === 'private', members };
  }

  async roomsOf(userId: string): Promise<string[]> {
    return this.redis.smembers(this.key('rooms-of:', userId));
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
