import { Client } from '@elastic/elasticsearch';
import { onServer } from '@chat/testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ElasticsearchSearchIndex } from './elasticsearch-search-index';
import { describeSearchIndex } from './search-index.conformance';

await onServer('elasticsearch', 'Search index on Elasticsearch', (server) => {
  // Every test has its own indexes, under its own prefix, deleted after it.
  let admin: Client;
  let prefixes: string[] = [];

  beforeAll(() => {
    admin = new Client({ node: server.url });
  });
  afterEach(async () => {
    for (const prefix of prefixes) {
      // By name: deleting by wildcard may be refused (action.destructive_requires_name).
      const indexes = await admin.cat.indices({ index: `${prefix}*`, format: 'json', h: 'index' });
      const names = indexes.flatMap(({ index }) => (index ? [index] : []));
      if (names.length > 0) await admin.indices.delete({ index: names });
    }
    prefixes = [];
  });
  afterAll(async () => {
    await admin.close();
    await server.stop();
  });

  describeSearchIndex('Elasticsearch', async () => {
    const prefix = `test-${crypto.randomUUID().slice(0, 8)}-`;
    prefixes.push(prefix);
    const index = await ElasticsearchSearchIndex.open(server.url, { prefix });
    return { index, settle: () => index.refresh() };
  });
});
