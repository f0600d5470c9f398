import { announce, resolveServer } from '@chat/testkit';
import { Redis } from 'ioredis';
import { rateLimiterConformance } from './rate-limiter.conformance';
import { RedisRateLimiter } from './redis-rate-limiter';

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
}
