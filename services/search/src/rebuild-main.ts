import { openEventStoreFromEnv } from '@chat/eventstore/from-env';
import { createLogger } from '@chat/runtime';
import { openSearchIndexFromEnv } from './adapters/from-env';
import { rebuildIndex } from './application/rebuild';

/**
 * `pnpm search:rebuild`: rebuilds the search index from scratch from the message service's room
 * streams (EVENTSTORE_URL, else its SQLite event store under DATA_DIR), into the index the
 * search service uses (ELASTICSEARCH_URL and ELASTICSEARCH_INDEX_PREFIX, else SQLite under
 * DATA_DIR). Stop the search service first; started again, it goes on from its offsets.
 */
const env = process.env;
const logger = createLogger('search-rebuild');
const store = await openEventStoreFromEnv(env, { service: 'message', logger });
const index = await openSearchIndexFromEnv(env, logger);
try {
  const { events } = await rebuildIndex(store, index);
  logger.info({ events }, 'search index rebuilt from the event store');
} finally {
  await index.close();
  await store.close();
}
