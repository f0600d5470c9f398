import { join } from 'node:path';
import type { Logger } from 'pino';
import type { EventStore } from './port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/**
 * A service's event store, chosen once at start-up: EventStoreDB when EVENTSTORE_URL is set,
 * else the service's own SQLite file under DATA_DIR.
 */
export const openEventStoreFromEnv = async (
  env: NodeJS.ProcessEnv,
  options: { service: string; logger: Logger },
): Promise<EventStore> => {
  if (env.EVENTSTORE_URL) {
    const { EventStoreDbStore } = await import('./eventstoredb/esdb-event-store');
    options.logger.info('event store: EventStoreDB');
    return EventStoreDbStore.connect(env.EVENTSTORE_URL);
  }
  const path = join(env.DATA_DIR ?? './data', options.service, 'events.db');
  options.logger.info({ path }, 'event store: SQLite');
  return SqliteEventStore.open(path);
};
