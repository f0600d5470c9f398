export { createNotificationService, type NotificationService, type NotificationServiceDeps } from './service';
export { createHttpSender, type VapidKeys } from './deliveries/http-sender';
export { destinationPolicy, type DestinationPolicy } from './deliveries/destinations';
export { retryOptionsFromEnv, vapidKeysFromEnv } from './vapid';
/** The embedded adapter; the host picks it at start-up. */
export { SqliteNotificationReadModel } from './read-model/sqlite-read-model';
