import { describe, expect, it } from 'vitest';
import { WrongExpectedRevisionError, type EventStore, type NewEvent, type RecordedEvent } from './port';

/**
 * The one suite every EventStore adapter passes unchanged. Stream names are unique per test, so
 * it can run against a shared server.
 */
export const eventStoreConformance = (
  name: string,
  open: () => Promise<{ store: EventStore; dispose: () => Promise<void> }>,
) => {
  const unique = (category: string) => `${category}-${crypto.randomUUID().replaceAll('-', '')}`;
  const event = (type: string, data: unknown = {}, metadata: Record<string, unknown> = {}): NewEvent => ({
    id: crypto.randomUUID(),
    type,
    data,
    metadata,
  });
  const all = async (events: AsyncIterable<RecordedEvent>) => {
    const list: RecordedEvent[] = [];
    for await (const e of events) list.push(e);
    return list;
  };
  const take = async (events: AsyncIterable<RecordedEvent>, count: number, timeoutMs = 10_000) => {
    const list: RecordedEvent[] = [];
    const iterator = events[Symbol.asyncIterator]();
    const deadline = Date.now() + timeoutMs;
    while (list.length < count) {
      const next = await Promise.race([
        iterator.next(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('timeout')), Math.max(1, deadline - Date.now())),
        ),
      ]);
      if (next.done) break;
      list.push(next.value);
    }
    return list;
  };
  const withStore = (test: (store: EventStore) => Promise<void>) => async () => {
    const { store, dispose } = await open();
    try {
      await test(store);
    } finally {
      await dispose();
    }
  };

  describe(`EventStore conformance: ${name}`, () => {
    it(
      'appends to many streams at once, each checked on its own',
      withStore(async (store) => {
        const [first, second, third] = [unique('many'), unique('many'), unique('many')];
        await store.append(second, [event('A')], 'no_stream');
        const results = await store.appendMany([
          { streamName: first, events: [event('A'), event('B')], expected: 'no_stream' },
          { streamName: second, events: [event('B')], expected: 'no_stream' },
          { streamName: third, events: [event('A')], expected: 'any' },
        ]);
        expect(results.map((result) => result.ok)).toEqual([true, false, true]);
        expect(results[0]).toMatchObject({ ok: true, nextExpectedRevision: 1 });
        const refused = results[1]!;
        expect(!refused.ok && refused.error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(!refused.ok && refused.error.actual).toBe(0);
        expect((await all(store.readStream(first))).map((e) => e.type)).toEqual(['A', 'B']);
        expect((await all(store.readStream(second))).map((e) => e.type)).toEqual(['A']);
        expect(await store.streamRevision(third)).toBe(0);
        expect(await store.appendMany([])).toEqual([]);
      }),
    );

    it(
      'appends to a new stream and reads it back with revisions from 0',
      withStore(async (store) => {
        const stream = unique('order');
        const result = await store.append(stream, [event('A', { n: 1 }), event('B', { n: 2 })], 'no_stream');
        expect(result.nextExpectedRevision).toBe(1);
        const events = await all(store.readStream(stream));
        expect(events.map((e) => [e.type, e.revision, e.streamName])).toEqual([
          ['A', 0, stream],
          ['B', 1, stream],
        ]);
        expect(await store.streamRevision(stream)).toBe(1);
        expect(await store.streamRevision(unique('none'))).toBeNull();
      }),
    );

    it(
      'checks the expected revision',
      withStore(async (store) => {
        const stream = unique('order');
        await store.append(stream, [event('A')], 'no_stream');
        await expect(store.append(stream, [event('B')], 'no_stream')).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        const wrong = await store.append(stream, [event('B')], 5).catch((error: unknown) => error);
        expect(wrong).toBeInstanceOf(WrongExpectedRevisionError);
        expect((wrong as WrongExpectedRevisionError).actual).toBe(0);
        expect((await store.append(stream, [event('B')], 0)).nextExpectedRevision).toBe(1);
        expect((await store.append(stream, [event('C')], 'stream_exists')).nextExpectedRevision).toBe(2);
        expect((await store.append(stream, [event('D')], 'any')).nextExpectedRevision).toBe(3);
        await expect(store.append(unique('x'), [event('A')], 'stream_exists')).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
      }),
    );

    it(
      'lets exactly one of concurrent appends at the same revision win',
      withStore(async (store) => {
        const stream = unique('race');
        await store.append(stream, [event('A')], 'no_stream');
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, () => store.append(stream, [event('B')], 0)),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await store.streamRevision(stream)).toBe(1);
      }),
    );

    it(
      'absorbs a repeated append of the same event ids',
      withStore(async (store) => {
        const stream = unique('idem');
        const events = [event('A'), event('B')];
        const first = await store.append(stream, events, 'no_stream');
        const again = await store.append(stream, events, 'no_stream');
        expect(again).toEqual(first);
        expect(await all(store.readStream(stream))).toHaveLength(2);
      }),
    );

    it(
      'round-trips data and metadata',
      withStore(async (store) => {
        const stream = unique('data');
        const data = { text: 'héllo 👋 \u0000', nested: { list: [1, 'two', null], flag: true } };
        const metadata = { correlation_id: 'c-1', causation_id: 'k-1' };
        await store.append(stream, [event('Rich', data, metadata)], 'any');
        const [read] = await all(store.readStream(stream));
        expect(read!.data).toEqual(data);
        expect(read!.metadata).toMatchObject(metadata);
        expect(read!.recordedAt).toBeInstanceOf(Date);
      }),
    );

    it(
      'reads forwards and backwards from a revision with a maximum count',
      withStore(async (store) => {
        const stream = unique('range');
        await store.append(
          stream,
          Array.from({ length: 10 }, (_, i) => event('E', { i })),
          'no_stream',
        );
        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await all(store.readStream(stream, options))).map((e) => e.revision);
        expect(await revisions({ fromRevision: 7 })).toEqual([7, 8, 9]);
        expect(await revisions({ fromRevision: 2, maxCount: 3 })).toEqual([2, 3, 4]);
        expect(await revisions({ direction: 'backwards', maxCount: 3 })).toEqual([9, 8, 7]);
        expect(await revisions({ direction: 'backwards', fromRevision: 4, maxCount: 2 })).toEqual([4, 3]);
        expect(await all(store.readStream(unique('missing')))).toEqual([]);
      }),
    );

    it(
      'reads a long stream in order both ways',
      withStore(async (store) => {
        const stream = unique('long');
        for (let batch = 0; batch < 10; batch++) {
          await store.append(
            stream,
            Array.from({ length: 500 }, (_, i) => event('E', { i: batch * 500 + i })),
            'any',
          );
        }
        const forwards = await all(store.readStream(stream));
        expect(forwards.map((e) => e.revision)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
        const backwards = await all(store.readStream(stream, { direction: 'backwards' }));
        expect(backwards.map((e) => e.revision)).toEqual(Array.from({ length: 5000 }, (_, i) => 4999 - i));
      }),
    );

    it(
      'subscribes with a prefix filter: history in global order, then live appends',
      withStore(async (store) => {
        const category = `cat${crypto.randomUUID().replaceAll('-', '')}`;
        const [a, b, other] = [`${category}-a`, `${category}-b`, unique('other')];
        await store.append(a, [event('A1')], 'any');
        await store.append(other, [event('X')], 'any');
        await store.append(b, [event('B1')], 'any');
        const subscription = store.subscribe({ streamPrefixes: [`${category}-`] });
        const history = await take(subscription, 2);
        expect(history.map((e) => e.type)).toEqual(['A1', 'B1']);
        const live = take(subscription, 2);
        await store.append(a, [event('A2')], 'any');
        await store.append(other, [event('Y')], 'any');
        await store.append(b, [event('B2')], 'any');
        expect((await live).map((e) => e.type)).toEqual(['A2', 'B2']);
        const positions = [...history, ...(await live)].map((e) => e.position);
        expect(new Set(positions).size).toBe(4);
        await subscription.close();
      }),
    );

    it(
      'resumes a subscription exactly after a stored position',
      withStore(async (store) => {
        const category = `res${crypto.randomUUID().replaceAll('-', '')}`;
        const stream = `${category}-1`;
        await store.append(
          stream,
          Array.from({ length: 5 }, (_, i) => event(`E${i}`)),
          'no_stream',
        );
        const first = store.subscribe({ streamPrefixes: [`${category}-`] });
        const seen = await take(first, 3);
        await first.close();
        const resumed = store.subscribe({ after: seen[2]!.position, streamPrefixes: [`${category}-`] });
        expect((await take(resumed, 2)).map((e) => e.type)).toEqual(['E3', 'E4']);
        await resumed.close();
      }),
    );

    it(
      'tells the newest position of some streams: where a subscription to them has caught up',
      withStore(async (store) => {
        const category = `last${crypto.randomUUID().replaceAll('-', '')}`;
        const prefixes = [`${category}-`];
        expect(await store.lastPosition({ streamPrefixes: prefixes })).toBeNull();
        await store.append(`${category}-1`, [event('A'), event('B')], 'no_stream');
        await store.append(`${category}-2`, [event('C')], 'no_stream');
        await store.append(unique('other'), [event('X')], 'no_stream');
        const last = await store.lastPosition({ streamPrefixes: prefixes });
        const subscription = store.subscribe({ streamPrefixes: prefixes });
        const seen = await take(subscription, 3);
        await subscription.close();
        expect(seen.map((e) => e.type)).toEqual(['A', 'B', 'C']);
        expect(last).toBe(seen[2]!.position);
        expect(await store.lastPosition()).not.toBe(last);
      }),
    );

    it(
      'ends a subscription promptly on close',
      withStore(async (store) => {
        const subscription = store.subscribe({ streamPrefixes: [`${unique('quiet')}-`] });
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        await subscription.close();
        expect((await pending).done).toBe(true);
      }),
    );
  });
};
