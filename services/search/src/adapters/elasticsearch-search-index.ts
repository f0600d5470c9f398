import { createHash } from 'node:crypto';
import { Client, errors, type estypes } from '@elastic/elasticsearch';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type IndexedHit,
  type IndexedMessage,
  type MessageQuery,
  type RoomAccess,
  type SearchChange,
  type SearchIndex,
  type SortKey,
  type StreamRevision,
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
  'messages' | 'rooms' | 'members' | 'streams',
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
    },
  },
  /** A room's privacy and whether it was deleted, by room id. */
  rooms: { mappings: { private: { type: 'boolean' }, deleted: { type: 'boolean' } } },
  /** One document per membership: a user in many rooms, a room of many users, both cheap to change. */
  members: { mappings: { room_id: keyword, user_id: keyword } },
  /** The newest applied revision of each stream, by stream name. */
  streams: { mappings: { revision: { type: 'long' } } },
};

type Role = keyof typeof INDEXES;

/** Memberships are read in pages of this many, in room id order. */
const PAGE = 1_000;

/** Membership ids are hashed: a room id and a user id together may exceed the 512-byte id limit. */
const membershipId = (roomId: string, userId: string): string =>
  createHash('sha256')
    .update(JSON.stringify([roomId, userId]))
    .digest('base64url');

const alreadyExists = (error: unknown) =>
  error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception';

/** A bulk request alternates actions and the documents (or partial updates) they carry. */
type BulkOperation = estypes.BulkOperationContainer | object;

const failuresOf = (response: estypes.BulkResponse): string[] =>
  response.items.flatMap((item) =>
    Object.values(item).flatMap((result) =>
      // Deleting what is already gone is the repeat of a delete: not a failure.
      result?.error && !(result.status === 404 && result.result === 'not_found')
        ? [`${result._id}: ${result.error.type} ${result.error.reason ?? ''}`]
        : [],
    ),
  );

/**
 * The fleet's search index on Elasticsearch 8: messages, rooms, memberships and applied stream
 * revisions in four indexes named `<prefix>search-<role>`.
 *
 * Elasticsearch has no transaction across documents, so `apply` is not atomic but idempotent and
 * crash-safe by ordering, as the MongoDB read model is: the changes first, the stream's revision
 * last. Each change can be repeated without effect, so an event interrupted by a crash is applied
 * again in full when it is redelivered. Changes to rooms and memberships are written with an
 * immediate refresh — who may find a message must never lag — while message writes become
 * searchable at the next refresh.
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

  async apply(at: StreamRevision, changes: SearchChange[]): Promise<boolean> {
    const applied = await this.appliedRevision(at.stream);
    if (applied !== null && at.revision <= applied) return false;
    let pending: BulkOperation[] = [];
    let refresh = false;
    const flush = async () => {
      await this.bulk(pending, refresh);
      pending = [];
      refresh = false;
    };
    for (const change of changes) {
      if (change.kind === 'room_deleted') {
        // Its memberships are found by a search, which sees only refreshed writes.
        await flush();
        await this.deleteRoom(change.room_id);
        continue;
      }
      pending.push(...this.operationsOf(change));
      refresh ||= change.kind !== 'message_indexed' && change.kind !== 'message_edited';
    }
    await flush();
    await this.client.index({
      index: this.names.streams,
      id: at.stream,
      document: { revision: at.revision },
    });
    return true;
  }

  async appliedRevision(stream: string): Promise<number | null> {
    // A get by id is real-time: it sees every write, refreshed or not.
    const found = await this.client.get<{ revision: number }>(
      { index: this.names.streams, id: stream },
      { ignore: [404] },
    );
    return found.found ? found._source!.revision : null;
  }

  async memberRooms(userId: string): Promise<string[]> {
    const rooms: string[] = [];
    let after: string[] | undefined;
    for (;;) {
      const page = await this.client.search<{ room_id: string }>({
        index: this.names.members,
        query: { term: { user_id: userId } },
        sort: [{ room_id: 'asc' }],
        size: PAGE,
        _source: ['room_id'],
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      });
      rooms.push(...page.hits.hits.map((hit) => hit._source!.room_id));
      if (page.hits.hits.length < PAGE) return rooms;
      after = page.hits.hits.at(-1)!.sort as string[];
    }
  }

  async roomAccess(roomId: string, userId: string): Promise<RoomAccess | null> {
    const { docs } = await this.client.mget({
      docs: [
        { _index: this.names.rooms, _id: roomId },
        { _index: this.names.members, _id: membershipId(roomId, userId) },
      ],
    });
    const [room, membership] = docs as {
      found?: boolean;
      _source?: { private: boolean; deleted?: boolean };
    }[];
    if (!room?.found || room._source!.deleted) return null;
    return { private: room._source!.private, member: membership?.found === true };
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
      const message = { ...hit._source!, edited_at: hit._source!.edited_at ?? null };
      return {
        message,
        marked: hit.highlight?.content?.[0] ?? message.content,
        sortKey: hit.sort as SortKey,
      };
    });
  }

  async reset(): Promise<void> {
    await this.client.indices.delete({ index: Object.values(this.names) }, { ignore: [404] });
    await this.createIndexes();
  }

  /** Makes every write searchable now, rather than at the next refresh. */
  async refresh(): Promise<void> {
    await this.client.indices.refresh({ index: Object.values(this.names) });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async createIndexes(): Promise<void> {
    for (const [role, spec] of Object.entries(INDEXES) as [Role, (typeof INDEXES)[Role]][]) {
      if (await this.client.indices.exists({ index: this.names[role] })) continue;
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

  private operationsOf(change: Exclude<SearchChange, { kind: 'room_deleted' }>): BulkOperation[] {
    const { messages, rooms, members } = this.names;
    switch (change.kind) {
      case 'room_saved':
        return [
          { update: { _index: rooms, _id: change.room_id } },
          { doc: { private: change.private }, upsert: { private: change.private, deleted: false } },
        ];
      case 'member_added':
        return [
          { index: { _index: members, _id: membershipId(change.room_id, change.user_id) } },
          { room_id: change.room_id, user_id: change.user_id },
        ];
      case 'member_removed':
        return [{ delete: { _index: members, _id: membershipId(change.room_id, change.user_id) } }];
      case 'message_indexed':
        return [{ index: { _index: messages, _id: change.message.message_id } }, change.message];
      case 'message_edited':
        return [
          { update: { _index: messages, _id: change.message_id } },
          { doc: { content: change.content, edited_at: change.edited_at } },
        ];
      case 'message_removed':
        return [{ delete: { _index: messages, _id: change.message_id } }];
    }
  }

  /** Marks the room deleted and removes every membership in it (there is no delete-by-query here). */
  private async deleteRoom(roomId: string): Promise<void> {
    await this.bulk(
      [
        { update: { _index: this.names.rooms, _id: roomId } },
        { doc: { deleted: true }, upsert: { private: true, deleted: true } },
      ],
      true,
    );
    for (;;) {
      const page = await this.client.search({
        index: this.names.members,
        query: { term: { room_id: roomId } },
        size: PAGE,
        _source: false,
        track_total_hits: false,
      });
      if (page.hits.hits.length === 0) return;
      await this.bulk(
        page.hits.hits.map((hit) => ({ delete: { _index: this.names.members, _id: hit._id! } })),
        true,
      );
    }
  }

  private async bulk(operations: BulkOperation[], refresh: boolean): Promise<void> {
    if (operations.length === 0) return;
    const response = await this.client.bulk({ operations, refresh });
    const failures = response.errors ? failuresOf(response) : [];
    if (failures.length > 0)
      throw new Error(`Search index writes failed: ${failures.slice(0, 5).join('; ')}`);
  }
}
