import { join } from 'node:path';
import { EmbeddedBus } from '@chat/bus/embedded';
import { createGateway } from '@chat/connection-gateway';
import { SqliteCheckpointStore } from '@chat/event-sourcing/sqlite';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { createMessageService, SqliteReadModel } from '@chat/message-service';
import {
  authSettingsFromEnv,
  createAuthenticator,
  createHttpApp,
  createLogger,
  createRegistry,
  DEV_JWT_SECRET,
  loadSettings,
  registerOperationalRoutes,
  type Logger,
} from '@chat/runtime';

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface EmbeddedApp {
  port: number;
  stop(): Promise<void>;
}

const authenticatorFor = (env: NodeJS.ProcessEnv, logger: Logger) => {
  const settings = authSettingsFromEnv(env);
  if (!settings.secret && !settings.jwksUrl) {
    logger.warn(
      '!!! JWT_SECRET_KEY is not set: tokens are signed and checked with the PUBLIC DEV SECRET. ' +
        'Anyone can impersonate anyone. Set JWT_SECRET_KEY (or JWKS_URL) for any real use. !!!',
    );
    return createAuthenticator({ ...settings, secret: DEV_JWT_SECRET });
  }
  return createAuthenticator(settings);
};

/**
 * Every service in one process with the embedded adapters: SQLite event store and read model,
 * the SQLite-backed bus, data under `dataDir`. One port carries `/ws` and `/api`.
 */
export const startEmbedded = async (options: EmbeddedOptions): Promise<EmbeddedApp> => {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger('chat-embedded');
  const settings = loadSettings(env);
  const registry = createRegistry();
  const authenticator = authenticatorFor(env, logger);
  const data = (...parts: string[]) => join(options.dataDir, ...parts);

  const bus = EmbeddedBus.open(data('bus.db'));
  const store = SqliteEventStore.open(data('message', 'events.db'));
  const readModel = SqliteReadModel.open(data('message', 'read-model.db'));
  const checkpoints = SqliteCheckpointStore.open(data('message', 'checkpoints.db'));

  const http = await createHttpApp({ title: 'Chat platform API', logger, authenticator });
  const message = createMessageService({ store, bus, readModel, checkpoints, settings, logger, registry });
  message.registerRoutes(http);
  const gateway = createGateway({
    bus,
    authenticator,
    settings,
    logger,
    registry,
    instanceId: 'gateway-embedded',
    http,
  });
  registerOperationalRoutes(http, {
    registry,
    notReady: () => [...message.notReady(), ...gateway.notReady()],
  });
  await http.ready();

  await message.start();
  await gateway.start();
  const port = await gateway.listen(options.port, options.host);
  logger.info(
    { port, data_dir: options.dataDir },
    `chat platform ready: ws://localhost:${port}/ws and http://localhost:${port}/api`,
  );

  return {
    port,
    async stop() {
      await gateway.stop();
      await message.stop();
      await http.close();
      await bus.close();
      await store.close();
      readModel.close();
      checkpoints.close();
    },
  };
};
