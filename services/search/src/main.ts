import { openBusFromEnv } from '@chat/bus/from-env';
import {
  authSettingsFromEnv,
  createAuthenticator,
  createHttpApp,
  createLogger,
  createRegistry,
  registerOperationalRoutes,
  startTelemetry,
  stopOnSignals,
} from '@chat/runtime';
import { openSearchIndexFromEnv } from './adapters/from-env';
import { createSearchService } from './service';

/**
 * The search service as its own process (fleet mode), configured from the environment:
 * ELASTICSEARCH_URL and ELASTICSEARCH_INDEX_PREFIX (else SQLite FTS5 under DATA_DIR), KAFKA_BROKERS
 * and KAFKA_TOPIC_PREFIX (else the embedded bus), PORT (8003).
 */
const env = process.env;
const stopTelemetry = startTelemetry('search');
const logger = createLogger('search');
const registry = createRegistry();

const index = await openSearchIndexFromEnv(env, logger);
const bus = await openBusFromEnv(env, { clientId: env.INSTANCE_ID ?? 'search', logger });

const http = await createHttpApp({
  title: 'Chat search service',
  logger,
  authenticator: createAuthenticator(authSettingsFromEnv(env)),
});
const service = createSearchService({ bus, index, logger });
service.registerRoutes(http);
registerOperationalRoutes(http, { registry, notReady: () => service.notReady() });
await service.start();
await http.listen({ port: Number(env.PORT ?? 8003), host: env.HOST ?? '0.0.0.0' });

stopOnSignals(logger, async () => {
  await http.close();
  await service.stop();
  await bus.close();
  await index.close();
  await stopTelemetry();
});
