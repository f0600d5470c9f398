import { onServer } from '@chat/testkit';
import { Redis } from 'ioredis';
import { presenceStoreConformance } from './conformance';
import { RedisPresenceStore } from './redis-presence-store';

await onServer('redis', 'PresenceStore on Redis', (server) => {
  const removeKeys = async (prefix: string) => {
    const admin = new Redis(server.url);
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  };

  presenceStoreConformance('redis', async () => {
    // Each store gets its own key prefix, as each deployment does with REDIS_KEY_PREFIX.
    const prefix = `test:${crypto.randomUUID()}:`;
    const store = new RedisPresenceStore(
      new Redis(server.url, { keyPrefix: prefix, maxRetriesPerRequest: 2 }),
    );
    return {
      store,
      dispose: async () => {
        await store.close();
        await removeKeys(prefix);
      },
    };
  });
});
