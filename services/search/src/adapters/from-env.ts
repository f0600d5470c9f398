import { join } from 'node:path';
import type { Logger } from '@chat/runtime';
import type { SearchIndex } from '../application/search-index';

/**
 * The search index, chosen once at start-up: Elasticsearch when ELASTICSEARCH_URL is set (its
 * indexes named after ELASTICSEARCH_INDEX_PREFIX, default `chat-`), else SQLite FTS5 under
 * DATA_DIR/search.
 */
export const openSearchIndexFromEnv = async (
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<SearchIndex> => {
  if (env.ELASTICSEARCH_URL) {
    const { ElasticsearchSearchIndex } = await import('./elasticsearch-search-index');
    const prefix = env.ELASTICSEARCH_INDEX_PREFIX ?? 'chat-';
    logger.info({ prefix }, 'search index: Elasticsearch');
    return ElasticsearchSearchIndex.open(env.ELASTICSEARCH_URL, { prefix });
  }
  const { SqliteSearchIndex } = await import('./sqlite-search-index');
  const path = join(env.DATA_DIR ?? './data', 'search', 'index.db');
  logger.info({ path }, 'search index: SQLite FTS5');
  return SqliteSearchIndex.open(path);
};
