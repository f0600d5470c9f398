import { Client } from '@elastic/elasticsearch';
import { onServer } from '@chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

  const open = async () => {
    const prefix = `test-${crypto.randomUUID().slice(0, 8)}-`;
    prefixes.push(prefix);
    return ElasticsearchSearchIndex.open(server.url, { prefix });
  };

  describeSearchIndex('Elasticsearch', open);

  describe('a batch whose changes do not all succeed', () => {
    /** A message sent at a revision of a stream; a `created_at` that is no date fails to index. */
    const sent = (stream: string, revision: number, created_at: string) => ({
      at: { stream, revision },
      changes: [
        {
          kind: 'message_indexed' as const,
          message: {
            message_id: `${stream}-m${revision}`,
            room_id: stream,
            seq: revision,
            sender_id: 'alice',
            content: 'kafka',
            created_at,
            edited_at: null,
            thread_id: null,
          },
        },
      ],
    });
    const T = '2024-05-01T10:00:00.000Z';

    it('fails, leaving its streams at the revisions they had, so it is applied again in full', async () => {
      const index = await open();
      expect(await index.applyBatch([sent('r1', 0, T)])).toEqual([true]);
      await expect(
        index.applyBatch([sent('r1', 1, T), sent('r2', 0, T), sent('r1', 2, 'not a date')]),
      ).rejects.toThrow(/Search index writes failed/);
      expect(await index.appliedRevision('r1')).toBe(0);
      expect(await index.appliedRevision('r2')).toBeNull();
      expect(await index.applyBatch([sent('r1', 1, T), sent('r2', 0, T), sent('r1', 2, T)])).toEqual([
        true,
        true,
        true,
      ]);
      await index.close();
    });
  });
});
