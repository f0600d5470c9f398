export { createSearchService, type SearchService, type SearchServiceDeps } from './service';
export type { SearchIndex } from './application/search-index';
/** The embedded index; the host picks the adapter at start-up. */
export { SqliteSearchIndex } from './adapters/sqlite-search-index';
