import { hostname } from 'node:os';
import { describeStalls } from '@chat/bus';
import { openBusFromEnv } from '@chat/bus/from-env';
import {
  fleetAuthSettingsFromEnv,
  createAuthenticator,
  refusingUsers,
  createBusMetrics,
  createHttpApp,
  createLogger,
  createRegistry,
  InMemoryRateLimiter,
  RedisRateLimiter,
  loadSettings,
  metricsAccessFromEnv,
  registerOperationalRoutes,
  startTelemetry,
  stopOnSignals,
} from '@chat/runtime';
import { startRoomAccessView, startSuspensionView } from '@chat/room-access';
import { SqliteRoomAccessStore } from '@chat/room-access/sqlite';
import { cipherOptionsOf, openContentCipherFromEnv } from '@chat/privacy/from-env';
import { Redis } from 'ioredis';
import { createGateway } from './gateway';
import { InMemoryConnectionRegistry } from './sessions/connection-registry';
import { RedisConnectionRegistry } from './sessions/redis-connection-registry';

/** The gateway as its own process (fleet mode), configured from the environment. */
const stopTelemetry = await startTelemetry('connection-gateway');
const logger = createLogger('connection-gateway');
const settings = loadSettings();
const registry = createRegistry();
const instanceId = process.env.INSTANCE_ID ?? `gateway-${hostname()}`;

const bus = await openBusFromEnv(process.env, {
  clientId: instanceId,
  logger,
  metrics: createBusMetrics(registry),
});
// REDIS_KEY_PREFIX lets deployments (and test runs) share one Redis.
const redis = process.env.REDIS_URL
  ? new Redis(process.env.REDIS_URL, { keyPrefix: process.env.REDIS_KEY_PREFIX ?? '' })
  : null;
const connections = redis ? new RedisConnectionRegistry(redis) : new InMemoryConnectionRegistry();
// Users' budgets are per user, not per gateway: with Redis every gateway takes from the same bucket.
const limiter = redis ? new RedisRateLimiter(redis) : new InMemoryRateLimiter();

// Rebuilt from the compacted room.access at every start: the gateway keeps no state of its own.
const access = await startRoomAccessView({
  bus,
  store: SqliteRoomAccessStore.open(':memory:'),
  reader: 'gateway',
  logger,
});

// Read from the compacted user.suspensions at every start, like room access.
const suspensions = await startSuspensionView({ bus, reader: 'gateway', logger });
const authenticator = refusingUsers(createAuthenticator(fleetAuthSettingsFromEnv()), (userId) =>
  suspensions.refusal(userId),
);

// Commands are sealed here with keys the message service must find: the key store is shared
// (MONGODB_URL in the fleet). ENCRYPTION_KEY is required.
const { cipher, store: keyStore } = await openContentCipherFromEnv(process.env, {
  ...cipherOptionsOf(settings),
  logger,
});

const http = await createHttpApp({ title: 'Chat gateway', logger, authenticator });
const gateway = createGateway({
  bus,
  access,
  authenticator,
  settings,
  logger,
  registry,
  instanceId,
  http,
  connections,
  limiter,
  suspensions,
  cipher,
});
registerOperationalRoutes(http, {
  registry,
  notReady: () => [
    ...gateway.notReady(),
    ...access.notReady(),
    ...suspensions.notReady(),
    ...describeStalls(bus.stalls(settings.bus.stall_threshold_seconds * 1000)),
  ],
  metrics: metricsAccessFromEnv(process.env, false),
});
await http.ready();
await gateway.start();
await gateway.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '0.0.0.0');

stopOnSignals(logger, [
  ['gateway', () => gateway.stop()],
  ['http', () => http.close()],
  ['suspensions', () => suspensions.stop()],
  ['bus', () => bus.close()],
  ['key store', () => keyStore.close()],
  ['redis', () => redis?.disconnect()],
  ['telemetry', () => stopTelemetry()],
]);
