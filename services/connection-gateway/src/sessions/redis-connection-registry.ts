import type { Redis } from 'ioredis';
import type { ConnectionRegistry } from './connection-registry';

/**
 * A user's connections across every gateway instance, in one Redis sorted set per user: member
 * = connection id, score = lease expiry. Leases are renewed while the connection lives, so the
 * connections of a gateway that died without saying goodbye stop counting once they expire.
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

export class RedisConnectionRegistry implements ConnectionRegistry {
  private readonly held = new Map<string, string>();
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly options: { leaseMs?: number; keyPrefix?: string } = {},
  ) {
    this.renewal = setInterval(() => void this.renew(), this.leaseMs / 3);
    this.renewal.unref();
  }

  private get leaseMs() {
    return this.options.leaseMs ?? 90_000;
  }

  private key(userId: string) {
    return `${this.options.keyPrefix ?? 'chat:connections:'}${userId}`;
  }

  async acquire(userId: string, connectionId: string, limit: number): Promise<boolean> {
    const now = Date.now();
    const granted = await this.redis.eval(
      ACQUIRE,
      1,
      this.key(userId),
      now,
      now + this.leaseMs,
      connectionId,
      limit,
      this.leaseMs,
    );
    if (granted === 1) this.held.set(connectionId, userId);
    return granted === 1;
  }

  async release(userId: string, connectionId: string): Promise<void> {
    this.held.delete(connectionId);
    await this.redis.zrem(this.key(userId), connectionId);
  }

  /** Extends the leases of the connections this instance holds. */
  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const expiry = Date.now() + this.leaseMs;
    const pipeline = this.redis.pipeline();
    for (const [connectionId, userId] of this.held) {
      pipeline.zadd(this.key(userId), 'XX', expiry, connectionId);
      pipeline.pexpire(this.key(userId), this.leaseMs);
    }
    await pipeline.exec();
  }

  close(): void {
    clearInterval(this.renewal);
  }
}
