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
import { createHttpSender } from './deliveries/http-sender';
import type { NotificationReadModel } from './read-model/port';
import { SqliteNotificationReadModel } from './read-model/sqlite-read-model';
import { createNotificationService } from './service';
import { retryOptionsFromEnv, vapidKeysFromEnv } from './vapid';

/**
 * The notification service as its own process (fleet mode), configured from the environment:
 * VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT (else a generated pair, logged loudly);
 * NOTIFICATION_RETRY_BASE_MS, NOTIFICATION_MAX_ATTEMPTS; EVENTSTORE_URL, KAFKA_BROKERS and
 * MONGODB_URL as the message service.
 */
const env = process.env;
const stopTelemetry = startTelemetry('notification');
const logger = createLogger('notification');
const settings = loadSettings(env);
const registry = createRegistry();
const dataDir = join(env.DATA_DIR ?? './data', 'notification');

interface ReadSide {
  readModel: NotificationReadModel;
  checkpoints: CheckpointStore & { close(): unknown };
}

const openReadSide = async (): Promise<ReadSide> => {
  if (env.MONGODB_URL) {
    const [{ MongoNotificationReadModel }, { MongoCheckpointStore }] = await Promise.all([
      import('./read-model/mongo-read-model'),
      import('@chat/event-sourcing/mongo'),
    ]);
    logger.info('read model and checkpoints: MongoDB');
    return {
      readModel: await MongoNotificationReadModel.open(env.MONGODB_URL),
      checkpoints: await MongoCheckpointStore.open(env.MONGODB_URL),
    };
  }
  logger.info({ data_dir: dataDir }, 'read model and checkpoints: SQLite');
  return {
    readModel: SqliteNotificationReadModel.open(join(dataDir, 'read-model.db')),
    checkpoints: SqliteCheckpointStore.open(join(dataDir, 'checkpoints.db')),
  };
};

const vapid = vapidKeysFromEnv(env, logger);
const store = await openEventStoreFromEnv(env, { service: 'notification', logger });
const bus = await openBusFromEnv(env, { clientId: env.INSTANCE_ID ?? 'notification', logger });
const { readModel, checkpoints } = await openReadSide();

const http = await createHttpApp({
  title: 'Chat notification service',
  logger,
  authenticator: createAuthenticator(authSettingsFromEnv(env)),
});
const service = createNotificationService({
  store,
  bus,
  readModel,
  checkpoints,
  sender: createHttpSender(vapid),
  vapidPublicKey: vapid.publicKey,
  settings,
  logger,
  retry: retryOptionsFromEnv(env),
});
service.registerRoutes(http);
registerOperationalRoutes(http, { registry, notReady: () => service.notReady() });
await service.start();
await http.listen({ port: Number(env.PORT ?? 8005), host: env.HOST ?? '0.0.0.0' });

stopOnSignals(logger, async () => {
  await http.close();
  await service.stop();
  await bus.close();
  await store.close();
  await readModel.close();
  await checkpoints.close();
  await stopTelemetry();
});
