import type { BucketRule } from './token-bucket';
import type { RateLimiter, Taken } from './rate-limiter';

/** What this adapter needs of an ioredis client (the services that use Redis hold one). */
export interface ScriptingRedis {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
}

/**
 * The token bucket of `token-bucket.ts`, applied atomically in Redis: one script reads the
 * bucket, refills it for the time passed (Redis's clock, so gateways' clocks do not matter),
 * takes a token if there is one and writes it back. A bucket expires once it would be full again.
 */
const TAKE = `
local capacity = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(stored[1]) or capacity
local at = tonumber(stored[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * capacity / period)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) * period / capacity)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * period / capacity) + 1)
return {allowed, retry}
`;

type WithTake = ScriptingRedis & {
  takeToken(key: string, capacity: number, periodMs: number): Promise<[number, number]>;
};

/**
 * The fleet's adapter: one bucket per key in Redis (under the client's key prefix), shared by every
 * gateway and the message service's REST routes.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: WithTake;

  constructor(redis: ScriptingRedis) {
    redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as WithTake;
  }

  async take(key: string, rule: BucketRule): Promise<Taken> {
    const [allowed, retryAfterMs] = await this.redis.takeToken(`rate:${key}`, rule.capacity, rule.periodMs);
    return { allowed: allowed === 1, retryAfterMs };
  }

  /** The Redis connection is the caller's. */
  async close(): Promise<void> {}
}
