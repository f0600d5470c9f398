import { openEventStoreFromEnv } from '@chat/eventstore/from-env';
import { cipherOptionsOf, keyStoreUrlFromEnv, openContentCipherFromEnv } from '@chat/privacy/from-env';
import { createLogger, loadSettings } from '@chat/runtime';
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
// The events are sealed: the rebuild needs ENCRYPTION_KEY and the key store, like the service
// (in the embedded layout, the key the embedded run generated under DATA_DIR if none is given).
const { cipher, store: keyStore } = await openContentCipherFromEnv(env, {
  ...cipherOptionsOf(loadSettings(env)),
  logger,
  ...(keyStoreUrlFromEnv(env) ? {} : { generateUnder: env.DATA_DIR ?? './data' }),
});
try {
  const { events } = await rebuildIndex(store, index, { cipher, logger });
  logger.info({ events }, 'search index rebuilt from the event store');
} finally {
  await index.close();
  await store.close();
  await keyStore.close();
}
