import { hostname } from 'node:os';
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
} from '@chat/runtime';
import { Redis } from 'ioredis';
import { createGateway } from './gateway';
import { InMemoryConnectionRegistry } from './sessions/connection-registry';
import { RedisConnectionRegistry } from './sessions/redis-connection-registry';

/** The gateway as its own process (fleet mode), configured from the environment. */
const stopTelemetry = startTelemetry('connection-gateway');
const logger = createLogger('connection-gateway');
const settings = loadSettings();
const authenticator = createAuthenticator(authSettingsFromEnv());
const registry = createRegistry();
const instanceId = process.env.INSTANCE_ID ?? `gateway-${hostname()}`;

const bus = await openBusFromEnv(process.env, { clientId: instanceId, logger });
const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
const connections = redis ? new RedisConnectionRegistry(redis) : new InMemoryConnectionRegistry();

const http = await createHttpApp({ title: 'Chat gateway', logger, authenticator });
const gateway = createGateway({
  bus,
  authenticator,
  settings,
  logger,
  registry,
  instanceId,
  http,
  connections,
});
registerOperationalRoutes(http, { registry, notReady: () => gateway.notReady() });
await http.ready();
await gateway.start();
await gateway.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '0.0.0.0');

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await gateway.stop();
  await http.close();
  await bus.close();
  redis?.disconnect();
  await stopTelemetry();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
