import { roomStream, type EventRecord, type MessageServiceEvent } from '@chat/contracts';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { cipherInMemory } from '@chat/privacy/testing';
import { createLogger } from '@chat/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchChanges, searchProjection } from '../application/projection';
import { rebuildIndex } from '../application/rebuild';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type MessageQuery,
  type SearchIndex,
} from '../application/search-index';

/** Events fed here are not sealed: the cipher passes them through as written before encryption. */
const opening = { cipher: await cipherInMemory(), logger: createLogger('search-conformance', 'silent') };

/**
 * The one suite every search index adapter passes unchanged, so the embedded and the fleet index
 * match, rank, highlight and apply batches alike. Events go in through the projection, a batch at
 * a time, as in production; no test waits for an index to show a change, since `applyBatch`
 * resolves with its changes visible. `open` returns a fresh, empty index for each test.
 */
export const describeSearchIndex = (adapter: string, open: () => Promise<SearchIndex>): void => {
  describe(`search index conformance: ${adapter}`, () => {
    let index: SearchIndex;
    let revisions: Map<string, number>;

    beforeEach(async () => {
      index = await open();
      revisions = new Map();
    });
    afterEach(() => index.close());

    /** Appends events to a room's stream and projects them as one batch. */
    const feed = async (roomId: string, ...events: MessageServiceEvent[]): Promise<void> => {
      const stream = roomStream(roomId);
      const records = events.map((event) => {
        const revision = (revisions.get(stream) ?? -1) + 1;
        revisions.set(stream, revision);
        return record(stream, revision, event);
      });
      await searchProjection(index, opening.cipher, opening.logger).applyBatch(records);
    };

    const search = (text: string, rooms: string[], more: Partial<MessageQuery> = {}) =>
      index.search({ text, rooms, order: 'recent', limit: 20, ...more });
    const ids = async (text: string, rooms: string[], more: Partial<MessageQuery> = {}) =>
      (await search(text, rooms, more)).map((hit) => hit.message.message_id);

    /**
     * Room `r1` of alice (owner) and bob — events that change nothing here but still count as
     * applied — and messages m1..m3 from minute 1 on.
     */
    const seeded = async () => {
      await feed('r1', created('r1', 'alice'), joined('r1', 'alice'), joined('r1', 'bob'));
      await feed(
        'r1',
        sent('r1', 1, 'alice', 'Deploying the Kafka cluster tonight'),
        sent('r1', 2, 'bob', 'kafka rebalance took ages again'),
        sent('r1', 3, 'alice', 'lunch at the café?'),
      );
    };

    describe('matching', () => {
      it('finds the messages that contain every word, in any case', async () => {
        await seeded();
        expect(await ids('KAFKA', ['r1'])).toEqual(['m2', 'm1']);
        expect(await ids('kafka rebalance', ['r1'])).toEqual(['m2']);
        expect(await ids('kafka lunch', ['r1'])).toEqual([]);
        expect(await ids('zookeeper', ['r1'])).toEqual([]);
      });

      it('matches whole words, keeps accents, and reads operators in the query as plain words', async () => {
        await seeded();
        expect(await ids('kaf', ['r1'])).toEqual([]);
        expect(await ids('CAFÉ', ['r1'])).toEqual(['m3']);
        expect(await ids('cafe', ['r1'])).toEqual([]);
        expect(await ids('kafka OR lunch', ['r1'])).toEqual([]);
        expect(await ids('"kafka" -rebalance* (took)', ['r1'])).toEqual(['m2']);
      });

      it('returns each hit as the message reads now', async () => {
        await seeded();
        const [hit] = await search('rebalance', ['r1']);
        expect(hit!.message).toEqual({
          message_id: 'm2',
          room_id: 'r1',
          seq: 2,
          sender_id: 'bob',
          content: 'kafka rebalance took ages again',
          created_at: at(2),
          edited_at: null,
          thread_id: null,
        });
      });

      it('tells a thread reply by its root', async () => {
        await seeded();
        await feed('r1', {
          type: 'MessageSent',
          data: { ...sent('r1', 4, 'bob', 'threaded kafka').data, thread_id: 'm1' },
        } as MessageServiceEvent);
        const [hit] = await search('threaded', ['r1']);
        expect(hit!.message).toMatchObject({ message_id: 'm4', thread_id: 'm1' });
      });

      it('marks every matched word in the content', async () => {
        await seeded();
        await feed('r1', sent('r1', 4, 'bob', 'Kafka, kafka and <b>KAFKA</b>!'));
        const [hit] = await search('kafka', ['r1']);
        const mark = (word: string) => `${HIGHLIGHT_START}${word}${HIGHLIGHT_END}`;
        expect(hit!.marked).toBe(`${mark('Kafka')}, ${mark('kafka')} and <b>${mark('KAFKA')}</b>!`);
      });
    });

    describe('filters', () => {
      it('searches only the rooms it is given', async () => {
        await seeded();
        await feed('r2', created('r2', 'carol', true), joined('r2', 'carol'));
        await feed('r2', sent('r2', 1, 'carol', 'kafka secrets'));
        expect(await ids('kafka', ['r1'])).toEqual(['m2', 'm1']);
        expect(await ids('kafka', ['r2'])).toEqual(['r2-m1']);
        expect(await ids('secrets', ['r1'])).toEqual([]);
        expect(await ids('kafka', ['r1', 'r2'])).toEqual(['m2', 'r2-m1', 'm1']);
      });

      it('narrows to one sender and to a time range (bounds excluded)', async () => {
        await seeded();
        expect(await ids('kafka', ['r1'], { fromUser: 'alice' })).toEqual(['m1']);
        expect(await ids('kafka', ['r1'], { before: at(2) })).toEqual(['m1']);
        expect(await ids('kafka', ['r1'], { after: at(1) })).toEqual(['m2']);
        expect(await ids('kafka', ['r1'], { after: at(1), before: at(2) })).toEqual([]);
      });
    });

    describe('order and pages', () => {
      const many = async () => {
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice'));
        await feed(
          'r1',
          ...Array.from({ length: 7 }, (_, i) => sent('r1', i + 1, 'alice', `deploy number ${i + 1}`)),
        );
      };

      it('pages the newest first, without repeat or gap', async () => {
        await many();
        const first = await search('deploy', ['r1'], { limit: 3 });
        const second = await search('deploy', ['r1'], { limit: 3, searchAfter: first.at(-1)!.sortKey });
        const third = await search('deploy', ['r1'], { limit: 3, searchAfter: second.at(-1)!.sortKey });
        expect([first, second, third].map((page) => page.map((hit) => hit.message.seq))).toEqual([
          [7, 6, 5],
          [4, 3, 2],
          [1],
        ]);
      });

      it('ranks more frequent matches in shorter messages first, and pages in that order', async () => {
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice'));
        await feed(
          'r1',
          sent('r1', 1, 'alice', 'kafka kafka kafka'),
          sent('r1', 2, 'alice', 'we once talked about kafka among many other things that day'),
          sent('r1', 3, 'alice', 'kafka again and kafka'),
        );
        const order = { order: 'relevance' as const };
        expect(await ids('kafka', ['r1'], order)).toEqual(['m1', 'm3', 'm2']);
        const first = await search('kafka', ['r1'], { ...order, limit: 2 });
        const rest = await search('kafka', ['r1'], {
          ...order,
          limit: 2,
          searchAfter: first.at(-1)!.sortKey,
        });
        expect(rest.map((hit) => hit.message.message_id)).toEqual(['m2']);
      });
    });

    describe('edits and deletions', () => {
      it('finds an edited message by its new words only', async () => {
        await seeded();
        await feed('r1', edited('r1', 2, 'zookeeper rebalance took ages', 10));
        expect(await ids('kafka', ['r1'])).toEqual(['m1']);
        const [hit] = await search('zookeeper', ['r1']);
        expect(hit!.message).toMatchObject({ content: 'zookeeper rebalance took ages', edited_at: at(10) });
      });

      it('no longer finds a deleted message', async () => {
        await seeded();
        await feed('r1', deleted('r1', 1));
        expect(await ids('kafka', ['r1'])).toEqual(['m2']);
        expect(await ids('deploying', ['r1'])).toEqual([]);
      });
    });

    describe('erasure', () => {
      const erase = (userId: string, revision = 0) =>
        index.applyBatch([
          { at: { stream: `user-${userId}`, revision }, changes: [{ kind: 'user_erased', user_id: userId }] },
        ]);

      it("forgets every message of an erased user, keeps others', and indexes none of theirs again", async () => {
        await seeded();
        expect(await erase('alice')).toEqual([true]);
        expect(await ids('kafka', ['r1'])).toEqual(['m2']);
        expect(await ids('café', ['r1'])).toEqual([]);
        await feed('r1', sent('r1', 4, 'alice', 'kafka in flight'), edited('r1', 1, 'kafka edited late', 20));
        expect(await ids('kafka', ['r1'])).toEqual(['m2']);
        expect(await erase('alice')).toEqual([false]);
      });

      it('still forgets them after a reset, when their messages are replayed', async () => {
        await seeded();
        await erase('alice');
        await index.reset();
        revisions.clear();
        await seeded();
        expect(await ids('kafka', ['r1'])).toEqual(['m2']);
      });
    });

    describe('retention', () => {
      const expired = (roomId: string, throughSeq: number): MessageServiceEvent => ({
        type: 'RoomHistoryExpired',
        data: { room_id: roomId, through_seq: throughSeq, cutoff: at(throughSeq), expired_at: at(30) },
      });

      it('no longer finds the messages of a room up to an expired seq; later ones and other rooms stay', async () => {
        await seeded();
        await feed('r2', sent('r2', 1, 'carol', 'kafka in another room'));
        await feed('r1', expired('r1', 2));
        expect(await ids('kafka', ['r1', 'r2'])).toEqual(['r2-m1']);
        expect(await ids('lunch', ['r1'])).toEqual(['m3']);
        await feed('r1', expired('r1', 2));
        expect(await ids('lunch', ['r1'])).toEqual(['m3']);
      });

      it('removes messages indexed in the same batch as the expiry', async () => {
        await feed(
          'r1',
          sent('r1', 1, 'alice', 'kafka one'),
          sent('r1', 2, 'alice', 'kafka two'),
          expired('r1', 1),
          sent('r1', 3, 'alice', 'kafka three'),
        );
        expect(await ids('kafka', ['r1'])).toEqual(['m3', 'm2']);
      });
    });

    describe('applying batches', () => {
      const update = (roomId: string, revision: number, event: MessageServiceEvent) => ({
        at: { stream: roomStream(roomId), revision },
        changes: searchChanges(event),
      });

      it('applies each event once, tells which it applied, and skips what it applied before', async () => {
        await seeded();
        expect(await index.appliedRevision(roomStream('r1'))).toBe(5);
        expect(
          await index.applyBatch([
            update('r1', 4, sent('r1', 2, 'bob', 'stale redelivery')),
            update('r1', 6, edited('r1', 1, 'zookeeper tonight', 10)),
            update('r1', 6, sent('r1', 9, 'bob', 'repeated in the batch')),
            update('r2', 0, created('r2', 'carol')),
            update('r1', 7, sent('r1', 4, 'alice', 'kafka again')),
          ]),
        ).toEqual([false, true, false, true, true]);
        expect(await ids('kafka', ['r1'])).toEqual(['m4', 'm2']);
        expect(await ids('zookeeper', ['r1'])).toEqual(['m1']);
        expect(await ids('stale', ['r1'])).toEqual([]);
        expect(await ids('repeated', ['r1'])).toEqual([]);
        expect(await index.appliedRevision(roomStream('r1'))).toBe(7);
        expect(await index.appliedRevision(roomStream('r2'))).toBe(0);
        expect(await index.appliedRevision(roomStream('other'))).toBeNull();
        expect(await index.applyBatch([update('r1', 7, deleted('r1', 4))])).toEqual([false]);
        expect(await ids('kafka', ['r1'])).toEqual(['m4', 'm2']);
        expect(await index.applyBatch([])).toEqual([]);
      });

      it("applies a batch's events in order", async () => {
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice'));
        await feed(
          'r1',
          sent('r1', 1, 'alice', 'kafka first'),
          edited('r1', 1, 'kafka second', 10),
          sent('r1', 2, 'alice', 'kafka gone'),
          edited('r1', 2, 'kafka gone soon', 11),
          deleted('r1', 2),
        );
        expect((await search('kafka', ['r1'])).map((hit) => hit.message.content)).toEqual(['kafka second']);
      });

      it('forgets everything on reset', async () => {
        await seeded();
        await index.reset();
        expect(await ids('kafka', ['r1'])).toEqual([]);
        expect(await index.appliedRevision(roomStream('r1'))).toBeNull();
      });
    });

    it('gives the same results when rebuilt from the event store', async () => {
      const store = SqliteEventStore.open(':memory:');
      const append = async (roomId: string, ...events: MessageServiceEvent[]) => {
        const stream = roomStream(roomId);
        const appended = await store.append(
          stream,
          events.map((event) => ({
            id: crypto.randomUUID(),
            type: event.type,
            data: event.data,
            metadata: {},
          })),
          'any',
        );
        const first = appended.nextExpectedRevision - events.length + 1;
        await searchProjection(index, opening.cipher, opening.logger).applyBatch(
          events.map((event, offset) => record(stream, first + offset, event)),
        );
      };
      await append('r1', created('r1', 'alice'), joined('r1', 'alice'), joined('r1', 'bob'));
      await append('r2', created('r2', 'bob', true), joined('r2', 'bob'));
      await append('r1', sent('r1', 1, 'alice', 'kafka one'), sent('r1', 2, 'bob', 'kafka two'));
      await append('r2', sent('r2', 1, 'bob', 'kafka three'), sent('r2', 2, 'bob', 'kafka four'));
      await append('r1', edited('r1', 1, 'kafka one, edited', 10), deleted('r1', 2), left('r1', 'bob'));
      await append('r2', deleted('r2', 1));

      // Scores are left out: an engine's statistics may count the documents it deleted meanwhile.
      const hitsIn = async (rooms: string[], order: MessageQuery['order']) =>
        (await search('kafka', rooms, { order })).map(({ message, marked }) => ({ message, marked }));
      const snapshot = async () => ({
        r1: await hitsIn(['r1'], 'relevance'),
        both: await hitsIn(['r1', 'r2'], 'recent'),
      });
      const live = await snapshot();
      expect(live.r1.map((hit) => hit.message.content)).toEqual(['kafka one, edited']);
      expect(live.both.map((hit) => hit.message.content)).toEqual(['kafka four', 'kafka one, edited']);

      expect(await rebuildIndex(store, index, opening)).toEqual({ events: 13 });
      expect(await snapshot()).toEqual(live);
      expect(await index.appliedRevision(roomStream('r1'))).toBe(7);
      await store.close();
    });
  });
};

/** Minute n of the test day. */
const at = (minute: number): string => new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString();

const record = (stream: string, revision: number, event: MessageServiceEvent): EventRecord => ({
  event_id: `${stream}#${revision}`,
  type: event.type,
  stream,
  revision,
  data: event.data,
  metadata: { correlation_id: 'correlation', causation_id: `command-${revision}`, actor_id: 'actor' },
  recorded_at: at(0),
});

const created = (roomId: string, ownerId: string, isPrivate = false): MessageServiceEvent => ({
  type: 'RoomCreated',
  data: { room_id: roomId, name: `Room ${roomId}`, private: isPrivate, owner_id: ownerId, created_at: at(0) },
});

const joined = (roomId: string, userId: string): MessageServiceEvent => ({
  type: 'MemberJoined',
  data: { room_id: roomId, user_id: userId, role: 'member', added_by: userId, joined_at: at(0) },
});

const left = (roomId: string, userId: string): MessageServiceEvent => ({
  type: 'MemberLeft',
  data: { room_id: roomId, user_id: userId, removed_by: userId, left_at: at(0) },
});

/** Message n of room r1 is `m<n>`, of other rooms `<room>-m<n>`; created at minute n. */
const messageId = (roomId: string, seq: number) => (roomId === 'r1' ? `m${seq}` : `${roomId}-m${seq}`);

const sent = (roomId: string, seq: number, senderId: string, content: string): MessageServiceEvent => ({
  type: 'MessageSent',
  data: {
    room_id: roomId,
    message_id: messageId(roomId, seq),
    seq,
    sender_id: senderId,
    content,
    message_type: 'text',
    client_msg_id: null,
    created_at: at(seq),
  },
});

const edited = (roomId: string, seq: number, content: string, minute: number): MessageServiceEvent => ({
  type: 'MessageEdited',
  data: {
    room_id: roomId,
    message_id: messageId(roomId, seq),
    seq,
    content,
    edit_id: `edit-${roomId}-${seq}-${minute}`,
    edited_at: at(minute),
  },
});

const deleted = (roomId: string, seq: number): MessageServiceEvent => ({
  type: 'MessageDeleted',
  data: { room_id: roomId, message_id: messageId(roomId, seq), seq, deleted_by: 'alice', deleted_at: at(30) },
});
