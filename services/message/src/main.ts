import { join } from 'node:path';
import { openBusFromEnv } from '@chat/bus/from-env';
import type { CheckpointStore } from '@chat/event-sourcing';
import { SqliteCheckpointStore } from '@chat/event-sourcing/sqlite';
import { openEventStoreFromEnv } from '@chat/eventstore/from-env';
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
import type { MessageReadModel } from './read-model/port';
import { SqliteReadModel } from './read-model/sqlite-read-model';
import { createMessageService } from './service';

/**
 * The message service as its own process (fleet mode), configured from the environment:
 * EVENTSTORE_URL (else a SQLite event store under DATA_DIR), KAFKA_BROKERS (else the embedded
 * bus), MONGODB_URL for the read model and checkpoints (else SQLite under DATA_DIR).
 */
const env = process.env;
const stopTelemetry = startTelemetry('message');
const logger = createLogger('message');
const settings = loadSettings(env);
const registry = createRegistry();
const dataDir = join(env.DATA_DIR ?? './data', 'message');

interface ReadSide {
  readModel: MessageReadModel;
  checkpoints: CheckpointStore & { close(): unknown };
}

const openReadSide = async (): Promise<ReadSide> => {
  if (env.MONGODB_URL) {
    const [{ MongoReadModel }, { MongoCheckpointStore }] = await Promise.all([
      import('./read-model/mongo-read-model'),
      import('@chat/event-sourcing/mongo'),
    ]);
    logger.info('read model and checkpoints: MongoDB');
    return {
      readModel: await MongoReadModel.open(env.MONGODB_URL),
      checkpoints: await MongoCheckpointStore.open(env.MONGODB_URL),
    };
  }
  logger.info({ data_dir: dataDir }, 'read model and checkpoints: SQLite');
  return {
    readModel: SqliteReadModel.open(join(dataDir, 'read-model.db')),
    checkpoints: SqliteCheckpointStore.open(join(dataDir, 'checkpoints.db')),
  };
};

const store = await openEventStoreFromEnv(env, { service: 'message', logger });
const bus = await openBusFromEnv(env, { clientId: env.INSTANCE_ID ?? 'message', logger });
const { readModel, checkpoints } = await openReadSide();

const http = await createHttpApp({
  title: 'Chat message service',
  logger,
  authenticator: createAuthenticator(authSettingsFromEnv(env)),
});
const service = createMessageService({ store, bus, readModel, checkpoints, settings, logger, registry });
service.registerRoutes(http);
registerOperationalRoutes(http, { registry, notReady: () => service.notReady() });
await service.start();
await http.listen({ port: Number(env.PORT ?? 8001), host: env.HOST ?? '0.0.0.0' });

stopOnSignals(logger, async () => {
  await http.close();
  await service.stop();
  await bus.close();
  await store.close();
  await readModel.close();
  await checkpoints.close();
  await stopTelemetry();
});
