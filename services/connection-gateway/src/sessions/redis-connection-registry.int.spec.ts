import { announce, resolveServer } from '@chat/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { connectionRegistryConformance } from './connection-registry.conformance';
import { RedisConnectionRegistry } from './redis-connection-registry';

const server = await resolveServer('redis');
announce('ConnectionRegistry on Redis', server);

if (server.available) {
  const connect = () => new Redis(server.url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  connectionRegistryConformance('redis', async () => {
    const redis = connect();
    const registry = new RedisConnectionRegistry(redis, { keyPrefix: `test:${crypto.randomUUID()}:` });
    return {
      registry,
      dispose: async () => {
        registry.close();
        redis.disconnect();
      },
    };
  });

  describe('RedisConnectionRegistry leases', () => {
    it("lets a dead gateway's connections expire", async () => {
      const redis = connect();
      const prefix = `test:${crypto.randomUUID()}:`;
      const dead = new RedisConnectionRegistry(redis, { leaseMs: 200, keyPrefix: prefix });
      expect(await dead.acquire('alice', 'c1', 1)).toBe(true);
      dead.close();
      const alive = new RedisConnectionRegistry(redis, { leaseMs: 200, keyPrefix: prefix });
      expect(await alive.acquire('alice', 'c2', 1)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await alive.acquire('alice', 'c2', 1)).toBe(true);
      alive.close();
      redis.disconnect();
    });
  });
} else {
  describe.skip(`ConnectionRegistry on Redis — ${server.reason}`, () => {
    it('needs REDIS_URL or a container engine', () => {});
  });
}
