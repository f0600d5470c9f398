import { onServer } from '@chat/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { presenceStoreConformance } from './conformance';
import { RedisPresenceStore } from './redis-presence-store';

await onServer('redis', 'PresenceStore on Redis', (server) => {
  /** Each store gets its own key prefix, as each deployment does with REDIS_KEY_PREFIX. */
  const open = (keyPrefix: string) =>
    new RedisPresenceStore(new Redis(server.url, { keyPrefix, maxRetriesPerRequest: 2 }));
  const freshPrefix = () => `test:${crypto.randomUUID()}:`;
  const removeKeys = async (prefix: string) => {
    const admin = new Redis(server.url);
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  };

  presenceStoreConformance('redis', async () => {
    const prefix = freshPrefix();
    const store = open(prefix);
    return {
      store,
      dispose: async () => {
        await store.close();
        await removeKeys(prefix);
      },
    };
  });

  describe('RedisPresenceStore generation', () => {
    it('is shared by every replica, and changes once the keys are gone', async () => {
      const prefix = freshPrefix();
      const [first, second] = [open(prefix), open(prefix)];
      const generation = await first.generation();
      expect(await second.generation()).toBe(generation);

      await removeKeys(prefix);
      expect(await second.generation()).not.toBe(generation);
      await Promise.all([first.close(), second.close()]);
      await removeKeys(prefix);
    });
  });
});
