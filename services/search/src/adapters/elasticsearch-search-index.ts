import { Client, errors, type estypes } from '@elastic/elasticsearch';
import { freshEntries, newestRevisions } from '@chat/event-sourcing';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type IndexedHit,
  type IndexedMessage,
  type MessageQuery,
  type SearchChange,
  type SearchIndex,
  type SearchUpdate,
  type SortKey,
} from '../application/search-index';

/**
 * The analysis both adapters share: Unicode word splitting (UAX #29) and lower case, as SQLite's
 * `unicode61` tokenizer does. Accents are kept: `asciifolding` lives in the analysis-common
 * module, which Elasticsearch's integration-test distribution (our local server) lacks, and the
 * two adapters must find the same messages.
 */
const MESSAGE_TEXT: estypes.AnalysisCustomAnalyzer = {
  type: 'custom',
  tokenizer: 'standard',
  filter: ['lowercase'],
};

/**
 * A quarter of a second between refreshes: a new or edited message is searchable well within a
 * second, at the cost of smaller segments for the background merges.
 */
const REFRESH_INTERVAL = '250ms';

const keyword = { type: 'keyword' } as const;

/** The indexes, by role; every mapping is strict, so a stray field is an error, not a new field. */
const INDEXES: Record<
  'messages' | 'streams' | 'erased',
  { analysis?: estypes.IndicesIndexSettingsAnalysis; mappings: Record<string, estypes.MappingProperty> }
> = {
  messages: {
    analysis: { analyzer: { message_text: MESSAGE_TEXT } },
    mappings: {
      message_id: keyword,
      room_id: keyword,
      seq: { type: 'long' },
      sender_id: keyword,
      content: { type: 'text', analyzer: 'message_text' },
      created_at: { type: 'date' },
      edited_at: { type: 'date' },
      thread_id: keyword,
    },
  },
  /** The newest applied revision of each stream, by stream name. */
  streams: { mappings: { revision: { type: 'long' } } },
  /** The erased users, by user id: none of their messages is indexed again. */
  erased: { mappings: { erased: { type: 'boolean' } } },
};

/** What a reset forgets: all but the erased users, who come from `user.erasures`, not from a replay. */
const REBUILT: Role[] = ['messages', 'streams'];

/** Message ids read at once when an erased user's messages are deleted. */
const PURGE_PAGE = 1_000;

type Role = keyof typeof INDEXES;

/** Ids read per search when an expiry collects the messages it removes. */
const EXPIRY_PAGE = 5_000;

const alreadyExists = (error: unknown) =>
  error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception';

/** A bulk request alternates actions and the documents (or partial updates) they carry. */
type BulkOperation = estypes.BulkOperationContainer | object;

const failuresOf = (response: estypes.BulkResponse): string[] =>
  response.items.flatMap((item) =>
    Object.values(item).flatMap((result) =>
      // Deleting what is already gone is the repeat of a delete: not a failure.
      // Gone already: deleted again, or edited after its sender was erased.
      result?.error && result.status !== 404
        ? [`${result._id}: ${result.error.type} ${result.error.reason ?? ''}`]
        : [],
    ),
  );

/**
 * The fleet's search index on Elasticsearch 8: messages, applied stream revisions and erased
 * users in three indexes named `<prefix>search-<role>`.
 *
 * A batch is two requests: one `mget` of its streams' applied revisions, then one `_bulk` with the
 * changes of the updates not applied before, in order, and the streams' new revisions. The bulk
 * waits for the next refresh (`wait_for`, at most REFRESH_INTERVAL) rather than forcing one, so a
 * batch resolves with its changes visible without a refresh per batch. An expired history adds a
 * search for its messages' ids, deleted in that bulk. Elasticsearch has no
 * transaction across documents (and this distribution no scripts or delete-by-query): every
 * change can be repeated without effect, and a batch whose changes did not all succeed has its
 * streams' revisions put back, so it is applied again in full when it is redelivered.
 */
export class ElasticsearchSearchIndex implements SearchIndex {
  private constructor(
    private readonly client: Client,
    private readonly names: Record<Role, string>,
  ) {}

  /** Connects and creates the indexes that do not exist yet. `prefix` keeps deployments apart. */
  static async open(url: string, options: { prefix?: string } = {}): Promise<ElasticsearchSearchIndex> {
    const prefix = options.prefix ?? 'chat-';
    const names = Object.fromEntries(
      Object.keys(INDEXES).map((role) => [role, `${prefix}search-${role}`]),
    ) as Record<Role, string>;
    const index = new ElasticsearchSearchIndex(new Client({ node: url }), names);
    try {
      await index.createIndexes();
    } catch (error) {
      await index.client.close();
      throw error;
    }
    return index;
  }

  async applyBatch(updates: SearchUpdate[]): Promise<boolean[]> {
    if (updates.length === 0) return [];
    const applied = await this.appliedRevisions(updates.map(({ at }) => at.stream));
    const fresh = freshEntries(updates, (stream) => applied.get(stream) ?? null);
    const toApply = updates.filter((_, position) => fresh[position]);
    if (toApply.length === 0) return fresh;
    const reached = new Map(newestRevisions(toApply).map(({ stream, revision }) => [stream, revision]));
    const all = toApply.flatMap((update) => update.changes);
    const erasedNow = all.flatMap((change) => (change.kind === 'user_erased' ? [change.user_id] : []));
    // Erased first, and for good, before any revision moves: a failure here is retried in full.
    if (erasedNow.length > 0) await this.erase(erasedNow);
    const erased = new Set([
      ...erasedNow,
      ...(await this.erasedAmong(
        all.flatMap((change) => (change.kind === 'message_indexed' ? [change.message.sender_id] : [])),
      )),
    ]);
    const changes = await this.operationsOfAll(all, erased);
    const failures = await this.bulk([...changes, ...this.recordRevisions(reached)], 'wait_for');
    if (failures.length > 0) {
      // The revisions are on another shard than the messages: they may be written although a
      // change failed. Put back what the streams had applied, so the redelivered batch is applied.
      const before = new Map([...reached.keys()].map((stream) => [stream, applied.get(stream) ?? null]));
      const unrestored = await this.bulk(this.recordRevisions(before), false);
      throw new Error(`Search index writes failed: ${[...failures, ...unrestored].slice(0, 5).join('; ')}`);
    }
    return fresh;
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return (await this.appliedRevisions([stream])).get(stream) ?? null;
  }

  async search(query: MessageQuery): Promise<IndexedHit[]> {
    const newest: estypes.SortCombinations[] = [
      { created_at: { order: 'desc', format: 'strict_date_optional_time' } },
      { message_id: 'desc' },
    ];
    const range = {
      ...(query.before === undefined ? {} : { lt: query.before }),
      ...(query.after === undefined ? {} : { gt: query.after }),
    };
    const found = await this.client.search<IndexedMessage>({
      index: this.names.messages,
      query: {
        bool: {
          must: [{ match: { content: { query: query.text, operator: 'and' } } }],
          filter: [
            { terms: { room_id: query.rooms } },
            ...(query.fromUser === undefined ? [] : [{ term: { sender_id: query.fromUser } }]),
            ...(Object.keys(range).length === 0 ? [] : [{ range: { created_at: range } }]),
          ],
        },
      },
      sort: query.order === 'recent' ? newest : ['_score', ...newest],
      size: query.limit,
      track_total_hits: false,
      ...(query.searchAfter ? { search_after: query.searchAfter } : {}),
      highlight: {
        fields: {
          content: { number_of_fragments: 0, pre_tags: [HIGHLIGHT_START], post_tags: [HIGHLIGHT_END] },
        },
      },
    });
    return found.hits.hits.map((hit) => {
      const source = hit._source!;
      const message = { ...source, edited_at: source.edited_at ?? null, thread_id: source.thread_id ?? null };
      return {
        message,
        marked: hit.highlight?.content?.[0] ?? message.content,
        sortKey: hit.sort as SortKey,
      };
    });
  }

  async reset(): Promise<void> {
    await this.client.indices.delete({ index: REBUILT.map((role) => this.names[role]) }, { ignore: [404] });
    await this.createIndexes();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async createIndexes(): Promise<void> {
    for (const [role, spec] of Object.entries(INDEXES) as [Role, (typeof INDEXES)[Role]][]) {
      if (await this.client.indices.exists({ index: this.names[role] })) {
        // Fields added since the index was made (a mapping only ever gains fields).
        await this.client.indices.putMapping({ index: this.names[role], properties: spec.mappings });
        continue;
      }
      try {
        await this.client.indices.create({
          index: this.names[role],
          settings: {
            number_of_shards: 1,
            auto_expand_replicas: '0-1',
            refresh_interval: REFRESH_INTERVAL,
            ...(spec.analysis ? { analysis: spec.analysis } : {}),
          },
          mappings: { dynamic: 'strict', properties: spec.mappings },
        });
      } catch (error) {
        // Another instance created it meanwhile.
        if (!alreadyExists(error)) throw error;
      }
    }
  }

  /** The applied revision of each of the streams that has one. */
  private async appliedRevisions(streams: string[]): Promise<Map<string, number>> {
    // A get by id is real-time: it sees every write, refreshed or not.
    const { docs } = await this.client.mget<{ revision: number }>({
      index: this.names.streams,
      ids: [...new Set(streams)],
    });
    return new Map(
      docs.flatMap((doc) => {
        // Taken for "never applied", an unread revision would let a redelivered batch undo newer changes.
        if ('error' in doc) throw new Error(`Applied revision of ${doc._id} unread: ${doc.error.reason}`);
        return doc.found ? [[doc._id, doc._source!.revision] as const] : [];
      }),
    );
  }

  /** Records each stream's revision; a null revision forgets the stream (never applied). */
  private recordRevisions(revisions: Map<string, number | null>): BulkOperation[] {
    return [...revisions].flatMap(([stream, revision]): BulkOperation[] =>
      revision === null
        ? [{ delete: { _index: this.names.streams, _id: stream } }]
        : [{ index: { _index: this.names.streams, _id: stream } }, { revision }],
    );
  }

  /** Which of these users were erased. */
  private async erasedAmong(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const { docs } = await this.client.mget({ index: this.names.erased, ids: [...new Set(userIds)] });
    return new Set(docs.flatMap((doc) => ('found' in doc && doc.found ? [doc._id] : [])));
  }

  /**
   * Marks the users erased, deletes every message of theirs (found by pages of ids: this
   * distribution has no delete-by-query), then merges the deletions out of the segments.
   */
  private async erase(userIds: string[]): Promise<void> {
    const marks = userIds.flatMap((id) => [
      { index: { _index: this.names.erased, _id: id } },
      { erased: true },
    ]);
    const failures = await this.bulk(marks, 'wait_for');
    for (const userId of userIds) {
      for (;;) {
        const found = await this.client.search({
          index: this.names.messages,
          query: { term: { sender_id: userId } },
          _source: false,
          size: PURGE_PAGE,
        });
        const ids = found.hits.hits.map((hit) => hit._id!);
        if (ids.length === 0) break;
        failures.push(
          ...(await this.bulk(
            ids.map((id) => ({ delete: { _index: this.names.messages, _id: id } })),
            'wait_for',
          )),
        );
        if (failures.length > 0) break;
      }
    }
    if (failures.length > 0) throw new Error(`Erasure failed: ${failures.slice(0, 5).join('; ')}`);
    await this.client.indices.forcemerge({ index: this.names.messages, only_expunge_deletes: true });
  }

  /**
   * The changes' operations in order; an expiry's are the deletions of every message it covers;
   * nothing of an erased user's is indexed.
   */
  private async operationsOfAll(changes: SearchChange[], erased: Set<string>): Promise<BulkOperation[]> {
    const operations: BulkOperation[] = [];
    const indexedHere: IndexedMessage[] = [];
    for (const change of changes) {
      if (change.kind === 'message_indexed') indexedHere.push(change.message);
      if (change.kind !== 'room_history_expired') {
        operations.push(...this.operationsOf(change, erased));
        continue;
      }
      const { room_id, through_seq } = change;
      // Those indexed earlier in this very batch are not searchable yet: they are named from the batch.
      const covered = indexedHere
        .filter((message) => message.room_id === room_id && message.seq <= through_seq)
        .map((message) => message.message_id);
      const ids = new Set([...(await this.messageIdsThrough(room_id, through_seq)), ...covered]);
      operations.push(...[...ids].map((id) => ({ delete: { _index: this.names.messages, _id: id } })));
    }
    return operations;
  }

  /** The ids of the room's indexed messages up to the seq, a page at a time. */
  private async messageIdsThrough(roomId: string, throughSeq: number): Promise<string[]> {
    const ids: string[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const found = await this.client.search({
        index: this.names.messages,
        query: {
          bool: { filter: [{ term: { room_id: roomId } }, { range: { seq: { lte: throughSeq } } }] },
        },
        sort: [{ seq: 'asc' }],
        size: EXPIRY_PAGE,
        _source: false,
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      });
      const hits = found.hits.hits;
      ids.push(...hits.map((hit) => hit._id!));
      if (hits.length < EXPIRY_PAGE) return ids;
      after = hits[hits.length - 1]!.sort;
    }
  }

  private operationsOf(
    change: Exclude<SearchChange, { kind: 'room_history_expired' }>,
    erased: Set<string>,
  ): BulkOperation[] {
    const { messages } = this.names;
    switch (change.kind) {
      case 'message_indexed':
        if (erased.has(change.message.sender_id)) return [];
        return [{ index: { _index: messages, _id: change.message.message_id } }, change.message];
      case 'message_edited':
        return [
          { update: { _index: messages, _id: change.message_id } },
          { doc: { content: change.content, edited_at: change.edited_at } },
        ];
      case 'message_removed':
        return [{ delete: { _index: messages, _id: change.message_id } }];
      case 'user_erased':
        return [];
    }
  }

  /** Sends the operations in one request; returns what failed. */
  private async bulk(operations: BulkOperation[], refresh: estypes.Refresh): Promise<string[]> {
    if (operations.length === 0) return [];
    const response = await this.client.bulk({ operations, refresh });
    return response.errors ? failuresOf(response) : [];
  }
}
