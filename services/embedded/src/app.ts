import { ContentCipher } from '@chat/privacy';
import { cipherOptionsOf, requireKek } from '@chat/privacy/from-env';
import { SqliteKeyStore } from '@chat/privacy/sqlite';
import { join } from 'node:path';
import { describeStalls } from '@chat/bus';
import { EmbeddedBus } from '@chat/bus/embedded';
import { createGateway } from '@chat/connection-gateway';
import { SqliteCheckpointStore } from '@chat/event-sourcing/sqlite';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import {
  createMediaService,
  LocalBlobStore,
  urlSignerOf,
  registerLocalBlobRoutes,
  SqliteMediaReadModel,
} from '@chat/media-service';
import {
  cipherShredder,
  createMessageService,
  SqliteAuditReadModel,
  SqliteKeyPackageDirectory,
  SqliteReadModel,
} from '@chat/message-service';
import {
  createHttpSender,
  createNotificationService,
  destinationPolicy,
  retryOptionsFromEnv,
  SqliteNotificationReadModel,
  vapidKeysFromEnv,
} from '@chat/notification-service';
import { createPresenceService, InMemoryPresenceStore } from '@chat/presence-service';
import { startRoomAccessView, startSuspensionView } from '@chat/room-access';
import { SqliteRoomAccessStore } from '@chat/room-access/sqlite';
import { createSearchService, SqliteSearchIndex } from '@chat/search-service';
import {
  authSettingsFromEnv,
  createAuthenticator,
  refusingUsers,
  createBusMetrics,
  createHttpApp,
  createLogger,
  createRegistry,
  DEV_JWT_SECRET,
  InMemoryRateLimiter,
  loadSettings,
  metricsAccessFromEnv,
  registerOperationalRoutes,
  type Logger,
} from '@chat/runtime';
import { PAGE_DIR, registerDevSignIn, registerPageRoutes } from '@chat/web/server';

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** The address to listen on: 127.0.0.1 unless told otherwise. */
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface EmbeddedApp {
  port: number;
  stop(): Promise<void>;
}

/** Addresses only this machine reaches. */
const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host);

export class UnsafeBindError extends Error {
  override readonly name = 'UnsafeBindError';
}

/**
 * The token verifier; without JWT_SECRET_KEY or JWKS_URL, the public development secret — which
 * lets anyone sign any token, so it serves loopback only: on another address the start is refused.
 * `development` says which: only then does the page offer its development sign-in.
 */
const authenticatorFor = (env: NodeJS.ProcessEnv, host: string, logger: Logger) => {
  const settings = authSettingsFromEnv(env);
  if (!settings.secret && !settings.jwksUrl) {
    if (!isLoopback(host)) {
      throw new UnsafeBindError(
        `Refusing to listen on ${host} with the public development secret: anyone could sign tokens. ` +
          'Set JWT_SECRET_KEY (or JWKS_URL), or listen on 127.0.0.1.',
      );
    }
    logger.warn(
      '!!! JWT_SECRET_KEY is not set: tokens are signed and checked with the PUBLIC DEV SECRET. ' +
        'Anyone can impersonate anyone. Set JWT_SECRET_KEY (or JWKS_URL) for any real use. !!!',
    );
    return { authenticator: createAuthenticator({ ...settings, secret: DEV_JWT_SECRET }), development: true };
  }
  return { authenticator: createAuthenticator(settings), development: false };
};

/**
 * Every service in one process with the embedded adapters: SQLite event stores and read models,
 * the SQLite-backed bus, files in a directory, data under `dataDir`. One port carries `/ws` and
 * `/api` (and the media service's signed file URLs).
 */
export const startEmbedded = async (options: EmbeddedOptions): Promise<EmbeddedApp> => {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger('chat-embedded');
  const settings = loadSettings(env);
  const registry = createRegistry();
  const host = options.host ?? '127.0.0.1';
  const { authenticator: verifier, development } = authenticatorFor(env, host, logger);
  const data = (...parts: string[]) => join(options.dataDir, ...parts);

  // Content is sealed at rest under ENCRYPTION_KEY; without one, a key generated under the data
  // directory (said loudly): a wrong key stops the start here, before anything is read.
  const kek = requireKek(env, { logger, generateUnder: options.dataDir });
  const keyStore = SqliteKeyStore.open(data('privacy', 'keys.db'));
  const cipher = await ContentCipher.start(keyStore, kek, cipherOptionsOf(settings)).catch(
    async (error: unknown) => {
      await keyStore.close();
      throw error;
    },
  );

  const bus = EmbeddedBus.open(data('bus.db'), { logger, metrics: createBusMetrics(registry) });
  const store = SqliteEventStore.open(data('message', 'events.db'));
  const readModel = SqliteReadModel.open(data('message', 'read-model.db'));
  const audit = SqliteAuditReadModel.open(data('message', 'audit.db'));
  const keyPackages = SqliteKeyPackageDirectory.open(data('message', 'key-packages.db'));
  const checkpoints = SqliteCheckpointStore.open(data('message', 'checkpoints.db'));
  const searchIndex = SqliteSearchIndex.open(data('search', 'index.db'));
  const mediaUrls = await urlSignerOf(cipher);
  const mediaStores = {
    store: SqliteEventStore.open(data('media', 'events.db')),
    readModel: SqliteMediaReadModel.open(data('media', 'read-model.db')),
    checkpoints: SqliteCheckpointStore.open(data('media', 'checkpoints.db')),
    blobs: LocalBlobStore.open(data('media', 'blobs'), mediaUrls),
  };

  // One view of every room's access for all the services of the process: one consumer, one store.
  const accessStore = SqliteRoomAccessStore.open(data('room-access.db'));
  const access = await startRoomAccessView({ bus, store: accessStore, reader: 'embedded', logger });
  const suspensions = await startSuspensionView({ bus, reader: 'embedded', logger });
  const authenticator = refusingUsers(verifier, (userId) => suspensions.refusal(userId));

  const http = await createHttpApp({ title: 'Chat platform API', logger, authenticator });
  // The chat page at `/`; its development sign-in only where anyone could sign tokens anyway.
  registerPageRoutes(http, PAGE_DIR);
  if (development)
    registerDevSignIn(http, { issuer: env.JWT_ISSUER || undefined, audience: env.JWT_AUDIENCE || undefined });
  // One set of users' budgets for the REST routes and the WebSocket frames.
  const limiter = new InMemoryRateLimiter();
  const message = createMessageService({
    store,
    bus,
    readModel,
    audit,
    keyPackages,
    checkpoints,
    settings,
    logger,
    registry,
    limiter,
    cipher,
    keys: cipher,
    roomKeys: cipherShredder(cipher, settings.privacy.key_period_ms),
  });
  message.registerRoutes(http);
  const search = createSearchService({ access, bus, index: searchIndex, logger, cipher });
  search.registerRoutes(http);
  const media = createMediaService({
    ...mediaStores,
    access,
    bus,
    keys: cipher,
    urls: mediaUrls,
    settings,
    logger,
  });
  media.registerRoutes(http);
  registerLocalBlobRoutes(http, mediaStores.blobs);
  const vapid = vapidKeysFromEnv(env, logger, data('notification', 'vapid-keys.json'));
  const notificationStores = {
    store: SqliteEventStore.open(data('notification', 'events.db')),
    readModel: SqliteNotificationReadModel.open(data('notification', 'read-model.db')),
    checkpoints: SqliteCheckpointStore.open(data('notification', 'checkpoints.db')),
  };
  const notification = createNotificationService({
    ...notificationStores,
    access,
    bus,
    sender: createHttpSender(vapid, destinationPolicy(settings.notification.allowed_hosts)),
    vapidPublicKey: vapid.publicKey,
    settings,
    logger,
    registry,
    retry: retryOptionsFromEnv(env),
    cipher,
  });
  notification.registerRoutes(http);
  const presenceStore = new InMemoryPresenceStore();
  const presence = createPresenceService({ access, bus, store: presenceStore, settings, logger });
  presence.registerRoutes(http);
  const gateway = createGateway({
    bus,
    access,
    authenticator,
    settings,
    logger,
    registry,
    instanceId: 'gateway-embedded',
    suspensions,
    http,
    allowLocalhostOrigins: true,
    limiter,
    cipher,
  });
  registerOperationalRoutes(http, {
    registry,
    notReady: () => [
      ...message.notReady(),
      ...search.notReady(),
      ...media.notReady(),
      ...notification.notReady(),
      ...presence.notReady(),
      ...gateway.notReady(),
      ...suspensions.notReady(),
      ...describeStalls(bus.stalls(settings.bus.stall_threshold_seconds * 1000)),
    ],
    metrics: metricsAccessFromEnv(env, true),
  });
  await http.ready();

  await message.start();
  await search.start();
  await media.start();
  await notification.start();
  await presence.start();
  await gateway.start();
  const port = await gateway.listen(options.port, host);
  logger.info(
    { port, data_dir: options.dataDir },
    `chat platform ready: ws://localhost:${port}/ws and http://localhost:${port}/api`,
  );

  return {
    port,
    async stop() {
      await gateway.stop();
      await presence.stop();
      await notification.stop();
      await media.stop();
      await search.stop();
      await message.stop();
      await access.stop();
      await suspensions.stop();
      await http.close();
      await bus.close();
      await accessStore.close();
      await store.close();
      readModel.close();
      await audit.close();
      await keyPackages.close();
      checkpoints.close();
      await searchIndex.close();
      await mediaStores.store.close();
      await mediaStores.readModel.close();
      mediaStores.checkpoints.close();
      await notificationStores.store.close();
      await notificationStores.readModel.close();
      notificationStores.checkpoints.close();
      await presenceStore.close();
      await keyStore.close();
    },
  };
};
