import { runServiceProcess } from '@chat/service-host';
import { openRoomAccessView } from '@chat/service-host/room-access';
import { Redis } from 'ioredis';
import { createPresenceService } from './service';
import { InMemoryPresenceStore } from './store/in-memory-presence-store';
import type { PresenceStore } from './store/port';
import { RedisPresenceStore } from './store/redis-presence-store';

/**
 * The presence service as its own process (fleet mode), configured from the environment:
 * REDIS_URL and REDIS_KEY_PREFIX (else in memory: one replica only, rebuilt at every start),
 * KAFKA_BROKERS and KAFKA_TOPIC_PREFIX (else the embedded bus), PORT (8002).
 */
await runServiceProcess({
  name: 'presence',
  title: 'Chat presence service',
  defaultPort: 8002,
  build: async (host) => {
    const { env, settings, logger } = host;
    const openStore = (): PresenceStore => {
      if (env.REDIS_URL) {
        logger.info('presence store: Redis');
        return new RedisPresenceStore(new Redis(env.REDIS_URL, { keyPrefix: env.REDIS_KEY_PREFIX ?? '' }));
      }
      logger.warn('presence store: in memory (REDIS_URL is not set): run a single replica');
      return new InMemoryPresenceStore();
    };
    const store = openStore();
    host.closeOnStop(() => store.close());
    const bus = await host.openBus();
    const access = await openRoomAccessView(host, bus);
    return createPresenceService({ access, bus, store, settings, logger });
  },
});
