import { openBusFromEnv } from '@chat/bus/from-env';
import {
  authSettingsFromEnv,
  createAuthenticator,
  createHttpApp,
  createLogger,
  createRegistry,
  loadSettings,
  registerOperationalRoutes,
  startTelemetry,
  stopOnSignals,
} from '@chat/runtime';
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
const env = process.env;
const stopTelemetry = startTelemetry('presence');
const logger = createLogger('presence');
const settings = loadSettings(env);
const registry = createRegistry();

const openStore = (): PresenceStore => {
  if (env.REDIS_URL) {
    logger.info('presence store: Redis');
    return new RedisPresenceStore(new Redis(env.REDIS_URL, { keyPrefix: env.REDIS_KEY_PREFIX ?? '' }));
  }
  logger.warn('presence store: in memory (REDIS_URL is not set): run a single replica');
  return new InMemoryPresenceStore();
};

const store = openStore();
const bus = await openBusFromEnv(env, { clientId: env.INSTANCE_ID ?? 'presence', logger });

const http = await createHttpApp({
  title: 'Chat presence service',
  logger,
  authenticator: createAuthenticator(authSettingsFromEnv(env)),
});
const service = createPresenceService({ bus, store, settings, logger });
service.registerRoutes(http);
registerOperationalRoutes(http, { registry, notReady: () => service.notReady() });
await service.start();
await http.listen({ port: Number(env.PORT ?? 8002), host: env.HOST ?? '0.0.0.0' });

stopOnSignals(logger, async () => {
  await http.close();
  await service.stop();
  await bus.close();
  await store.close();
  await stopTelemetry();
});
