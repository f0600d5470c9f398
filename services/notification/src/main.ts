import { runServiceProcess } from '@chat/service-host';
import { openRoomAccessView } from '@chat/service-host/room-access';
import { openEventSourcedParts } from '@chat/service-host/event-sourced';
import { destinationPolicy } from './deliveries/destinations';
import { createHttpSender } from './deliveries/http-sender';
import type { NotificationReadModel } from './read-model/port';
import { SqliteNotificationReadModel } from './read-model/sqlite-read-model';
import { openContentCipher } from '@chat/service-host/privacy';
import { createNotificationService } from './service';
import { retryOptionsFromEnv, vapidKeysFromEnv } from './vapid';

/**
 * The notification service as its own process (fleet mode), configured from the environment:
 * VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT (else a generated pair, logged loudly);
 * NOTIFICATION_RETRY_BASE_MS, NOTIFICATION_MAX_ATTEMPTS; EVENTSTORE_URL, KAFKA_BROKERS and
 * MONGODB_URL as the message service; PORT (8005).
 */
await runServiceProcess({
  name: 'notification',
  title: 'Chat notification service',
  defaultPort: 8005,
  build: async (host) => {
    const { env, settings, logger } = host;
    const vapid = vapidKeysFromEnv(env, logger);
    const { store, bus, readModel, checkpoints } = await openEventSourcedParts<NotificationReadModel>(host, {
      sqlite: (path) => SqliteNotificationReadModel.open(path),
      mongo: async (url) =>
        (await import('./read-model/mongo-read-model')).MongoNotificationReadModel.open(url),
    });
    const access = await openRoomAccessView(host, bus);
    return createNotificationService({
      access,
      store,
      bus,
      readModel,
      checkpoints,
      sender: createHttpSender(vapid, destinationPolicy(settings.notification.allowed_hosts)),
      vapidPublicKey: vapid.publicKey,
      settings,
      logger,
      registry: host.registry,
      retry: retryOptionsFromEnv(env),
      cipher: await openContentCipher(host),
    });
  },
});
