import { announce, resolveServer } from '@chat/testkit';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { RedisRateLimiter } from '@chat/runtime';
import { rateLimiterConformance } from '@chat/runtime/limits/conformance';

const server = await resolveServer('redis');
announce('RateLimiter on Redis', server);

if (server.available) {
  rateLimiterConformance('redis', async () => {
    const redis = new Redis(server.url, {
      keyPrefix: `test:${crypto.randomUUID()}:`,
      maxRetriesPerRequest: 2,
    });
    const limiter = new RedisRateLimiter(redis);
    return { take: (key, rule) => limiter.take(key, rule), close: async () => redis.disconnect() };
  });
} else {
  describe.skip(`RateLimiter on Redis — ${server.reason}`, () => {
    it('needs REDIS_URL or a container engine', () => {});
  });
}
