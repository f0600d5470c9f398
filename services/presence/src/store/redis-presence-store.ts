import type { Redis } from 'ioredis';
import { oldestLease, type PresenceState } from '../users/presence';
import type { PresenceStore } from './port';

/**
 * The fleet adapter, shared by every presence replica. Keys, under the connection's key prefix:
 * `presence:user:<id>` (the user's state, JSON) and `presence:leases` (a sorted set of users by
 * their oldest connection's last heartbeat, which the sweeper reads), and `presence:erased` (a
 * set of the users erased, whose state is never written again). A user's state and its lease
 * entry change in one MULTI; a plain Redis (or a primary with replicas) is assumed, not Cluster,
 * whose slots would split them.
 */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace = 'presence:',
  ) {}

  private key(family: string, id = '') {
    return `${this.namespace}${family}${id}`;
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
    // One writer per user (the signal consumer of their partition): no write of theirs races this check.
    if ((await this.redis.sismember(this.key('erased'), state.user_id)) === 1) return;
    const oldest = oldestLease(state);
    const transaction = this.redis.multi().set(this.key('user:', state.user_id), JSON.stringify(state));
    if (oldest === null) transaction.zrem(this.key('leases'), state.user_id);
    else transaction.zadd(this.key('leases'), oldest, state.user_id);
    await transaction.exec();
  }

  async usersSeenBefore(time: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('leases'), '-inf', `(${time}`);
  }

  async eraseUser(userId: string): Promise<void> {
    await this.redis
      .multi()
      .sadd(this.key('erased'), userId)
      .del(this.key('user:', userId))
      .zrem(this.key('leases'), userId)
      .exec();
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
