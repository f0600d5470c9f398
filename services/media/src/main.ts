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
import { openBlobStoreFromEnv } from './blobs/from-env';
import type { MediaReadModel } from './read-model/port';
import { SqliteMediaReadModel } from './read-model/sqlite-read-model';
import { createMediaService } from './service';

/**
 * The media service as its own process (fleet mode), configured from the environment:
 * AWS_S3_BUCKET (with S3_ENDPOINT, S3_FORCE_PATH_STYLE, AWS_* and S3_KEY_PREFIX) for S3, else
 * files under DATA_DIR; EVENTSTORE_URL, KAFKA_BROKERS and MONGODB_URL as the message service.
 */
const env = process.env;
const stopTelemetry = startTelemetry('media');
const logger = createLogger('media');
const settings = loadSettings(env);
const registry = createRegistry();
const dataDir = join(env.DATA_DIR ?? './data', 'media');

interface ReadSide {
  readModel: MediaReadModel;
  checkpoints: CheckpointStore & { close(): unknown };
}

const openReadSide = async (): Promise<ReadSide> => {
  if (env.MONGODB_URL) {
    const [{ MongoMediaReadModel }, { MongoCheckpointStore }] = await Promise.all([
      import('./read-model/mongo-read-model'),
      import('@chat/event-sourcing/mongo'),
    ]);
    logger.info('read model and checkpoints: MongoDB');
    return {
      readModel: await MongoMediaReadModel.open(env.MONGODB_URL),
      checkpoints: await MongoCheckpointStore.open(env.MONGODB_URL),
    };
  }
  logger.info({ data_dir: dataDir }, 'read model and checkpoints: SQLite');
  return {
    readModel: SqliteMediaReadModel.open(join(dataDir, 'read-model.db')),
    checkpoints: SqliteCheckpointStore.open(join(dataDir, 'checkpoints.db')),
  };
};

const http = await createHttpApp({
  title: 'Chat media service',
  logger,
  authenticator: createAuthenticator(authSettingsFromEnv(env)),
});
const store = await openEventStoreFromEnv(env, { service: 'media', logger });
const bus = await openBusFromEnv(env, { clientId: env.INSTANCE_ID ?? 'media', logger });
const { readModel, checkpoints } = await openReadSide();
const blobs = await openBlobStoreFromEnv(env, { http, maxBytes: settings.messages.max_file_size, logger });

const service = createMediaService({
  store,
  bus,
  readModel,
  checkpoints,
  blobs: blobs.store,
  settings,
  logger,
});
service.registerRoutes(http);
registerOperationalRoutes(http, { registry, notReady: () => service.notReady() });
await service.start();
await http.listen({ port: Number(env.PORT ?? 8004), host: env.HOST ?? '0.0.0.0' });

stopOnSignals(logger, async () => {
  await http.close();
  await service.stop();
  await bus.close();
  await store.close();
  await readModel.close();
  await checkpoints.close();
  blobs.close();
  await stopTelemetry();
});
