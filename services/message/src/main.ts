import { runServiceProcess } from '@chat/service-host';
import { openEventSourcedParts } from '@chat/service-host/event-sourced';
import type { MessageReadModel } from './read-model/port';
import { SqliteReadModel } from './read-model/sqlite-read-model';
import { createMessageService } from './service';

/**
 * The message service as its own process (fleet mode), configured from the environment:
 * EVENTSTORE_URL (else a SQLite event store under DATA_DIR), KAFKA_BROKERS (else the embedded
 * bus), MONGODB_URL for the read model and checkpoints (else SQLite under DATA_DIR), PORT (8001).
 */
await runServiceProcess({
  name: 'message',
  title: 'Chat message service',
  defaultPort: 8001,
  build: async (host) => {
    const { settings, logger, registry } = host;
    const { store, bus, readModel, checkpoints } = await openEventSourcedParts<MessageReadModel>(host, {
      sqlite: (path) => SqliteReadModel.open(path),
      mongo: async (url) => (await import('./read-model/mongo-read-model')).MongoReadModel.open(url),
    });
    return createMessageService({ store, bus, readModel, checkpoints, settings, logger, registry });
  },
});
