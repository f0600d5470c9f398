import { describe, expect, it } from 'vitest';
import { DeadLetterHeaders, deadLetterTopic } from './dead-letters';
import type { Bus, Consumer, ConsumerOptions, IncomingRecord, RecordBatch } from './port';

/**
 * The one suite every Bus adapter passes unchanged. Topic and group names are unique per test,
 * so it can run against a shared Kafka.
 */
export const busConformance = (
  name: string,
  open: () => Promise<{ bus: Bus; dispose: () => Promise<void> }>,
) => {
  const unique = (what: string) => `${what}-${crypto.randomUUID().slice(0, 8)}`;
  const until = async (condition: () => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const collect = async (
    bus: Bus,
    topic: string,
    groupId = unique('group'),
    options: Partial<Omit<ConsumerOptions, 'groupId' | 'topics' | 'handleBatch'>> = {},
  ) => {
    const records: IncomingRecord[] = [];
    const batches: RecordBatch[] = [];
    const consumer = await bus.consume({
      groupId,
      topics: [topic],
      ...options,
      handleBatch: async (batch) => {
        batches.push(batch);
        records.push(...batch.records);
      },
    });
    await consumer.ready;
    return { records, batches, consumer };
  };
  const numbered = (count: number, key: (i: number) => string = (i) => `k${i}`, from = 0) =>
    Array.from({ length: count }, (_, i) => ({ key: key(from + i), value: String(from + i) }));
  /** An error the bus must take for a dependency that is down (retried until it passes). */
  const outage = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const withBus = (test: (bus: Bus) => Promise<void>) => async () => {
    const { bus, dispose } = await open();
    try {
      await test(bus);
    } finally {
      await dispose();
    }
  };
  const TIMEOUT = 60_000;

  describe(`Bus conformance: ${name}`, () => {
    it(
      'creates topics idempotently and round-trips key, value and headers',
      withBus(async (bus) => {
        const topic = unique('topic');
        await bus.ensureTopics([{ topic, partitions: 3 }]);
        await bus.ensureTopics([{ topic, partitions: 3 }]);
        await bus.publish(topic, [{ key: 'k1', value: '{"n":1}', headers: { correlation_id: 'c-1' } }]);
        const { records, consumer } = await collect(bus, topic);
        await until(() => records.length === 1);
        expect(records[0]).toMatchObject({ topic, key: 'k1', value: '{"n":1}' });
        expect(records[0]!.headers.correlation_id).toBe('c-1');
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'keeps per-key order across partitions',
      withBus(async (bus) => {
        const topic = unique('order');
        await bus.ensureTopics([{ topic, partitions: 3 }]);
        const sent = numbered(200, (i) => `key-${i % 10}`);
        await bus.publish(topic, sent.slice(0, 100));
        await bus.publish(topic, sent.slice(100));
        const { records, consumer } = await collect(bus, topic);
        await until(() => records.length === 200);
        for (let k = 0; k < 10; k++) {
          const values = records.filter((r) => r.key === `key-${k}`).map((r) => Number(r.value));
          expect(values).toEqual([...values].sort((a, b) => a - b));
          expect(values).toHaveLength(20);
        }
        expect(new Set(records.filter((r) => r.key === 'key-3').map((r) => r.partition)).size).toBe(1);
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'keeps the order of publishes made without waiting for each other',
      withBus(async (bus) => {
        const topic = unique('pipelined');
        await bus.ensureTopics([{ topic, partitions: 2 }]);
        await Promise.all(numbered(100, () => 'same').map((record) => bus.publish(topic, [record])));
        const { records, consumer } = await collect(bus, topic);
        await until(() => records.length === 100);
        expect(records.map((r) => Number(r.value))).toEqual(Array.from({ length: 100 }, (_, i) => i));
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'hands over what is available as batches of one partition, in order, within maxBatchSize',
      withBus(async (bus) => {
        const topic = unique('batches');
        await bus.ensureTopics([{ topic, partitions: 2 }]);
        await bus.publish(
          topic,
          numbered(300, (i) => `key-${i % 7}`),
        );
        const { records, batches, consumer } = await collect(bus, topic, unique('group'), {
          maxBatchSize: 50,
        });
        await until(() => records.length === 300);
        expect(batches.length).toBeLessThan(300);
        for (const batch of batches) {
          expect(batch.records.length).toBeGreaterThan(0);
          expect(batch.records.length).toBeLessThanOrEqual(50);
          expect(batch.records.every((r) => r.partition === batch.partition && r.topic === topic)).toBe(true);
          const offsets = batch.records.map((r) => Number(r.offset));
          expect(offsets).toEqual(offsets.map((_, i) => offsets[0]! + i));
        }
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'gives every group every record, and splits one group among its consumers',
      withBus(async (bus) => {
        const topic = unique('groups');
        await bus.ensureTopics([{ topic, partitions: 4 }]);
        const groupA = unique('a');
        const first = await collect(bus, topic, groupA);
        const second = await collect(bus, topic, groupA);
        const other = await collect(bus, topic);
        await bus.publish(topic, numbered(100));
        await until(
          () => first.records.length + second.records.length >= 100 && other.records.length === 100,
        );
        const inGroup = [...first.records, ...second.records]
          .map((r) => Number(r.value))
          .sort((a, b) => a - b);
        expect(new Set(inGroup).size).toBe(100);
        expect(first.records.length).toBeGreaterThan(0);
        expect(second.records.length).toBeGreaterThan(0);
        await Promise.all([first.consumer.stop(), second.consumer.stop(), other.consumer.stop()]);
      }),
      TIMEOUT,
    );

    it(
      "hands a stopped consumer's partitions to the rest of its group: nothing lost, nothing twice",
      withBus(async (bus) => {
        const topic = unique('rebalance');
        await bus.ensureTopics([{ topic, partitions: 4 }]);
        const group = unique('group');
        const leaving = await collect(bus, topic, group);
        const staying = await collect(bus, topic, group);
        await bus.publish(topic, numbered(50));
        await until(() => leaving.records.length + staying.records.length >= 50);
        await leaving.consumer.stop();
        await bus.publish(topic, numbered(50, undefined, 50));
        await until(() => leaving.records.length + staying.records.length >= 100);
        await pause(500); // a redelivery would show by now
        const handled = [...leaving.records, ...staying.records].map((r) => Number(r.value));
        expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
        expect(staying.records.filter((r) => Number(r.value) >= 50)).toHaveLength(50);
        await staying.consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'retries a batch that failed and handles nothing after it first',
      withBus(async (bus) => {
        const topic = unique('retry');
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        await bus.publish(
          topic,
          ['a', 'b', 'c'].map((value) => ({ key: 'same', value })),
        );
        const handled: string[] = [];
        let failures = 0;
        const consumer = await bus.consume({
          groupId: unique('group'),
          topics: [topic],
          handleBatch: async ({ records }) => {
            for (const record of records) {
              if (record.value === 'b' && failures < 2) {
                failures++;
                throw new Error('failed once or twice');
              }
              handled.push(record.value);
            }
          },
        });
        await until(() => handled.includes('c'));
        expect(handled.filter((value) => value !== 'a')).toEqual(['b', 'c']);
        expect(failures).toBe(2);
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'dead-letters a record that keeps failing, with its error, and moves on',
      withBus(async (bus) => {
        const topic = unique('poison');
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        await bus.publish(
          topic,
          ['a', 'poison', 'c'].map((value) => ({ key: 'same', value, headers: { correlation_id: value } })),
        );
        const handled: string[] = [];
        const groupId = unique('group');
        const consumer = await bus.consume({
          groupId,
          topics: [topic],
          handleBatch: async ({ records }) => {
            if (records.some((record) => record.value === 'poison')) throw new TypeError('cannot read it');
            handled.push(...records.map((record) => record.value));
          },
        });
        await until(() => handled.includes('c'));
        expect(handled.filter((value) => value !== 'a')).toEqual(['c']);
        const dead = await collect(bus, deadLetterTopic(topic));
        await until(() => dead.records.length === 1);
        const [record] = dead.records;
        expect(record).toMatchObject({ key: 'same', value: 'poison' });
        expect(record!.headers).toMatchObject({
          correlation_id: 'poison',
          [DeadLetterHeaders.group]: groupId,
          [DeadLetterHeaders.topic]: topic,
          [DeadLetterHeaders.partition]: '0',
          [DeadLetterHeaders.offset]: '1',
        });
        expect(record!.headers[DeadLetterHeaders.error]).toContain('cannot read it');
        expect(Number(record!.headers[DeadLetterHeaders.failures])).toBeGreaterThanOrEqual(5);
        await Promise.all([consumer.stop(), dead.consumer.stop()]);
      }),
      TIMEOUT,
    );

    it(
      'waits out a dependency that is down instead of dead-lettering, and reports the stall',
      withBus(async (bus) => {
        const topic = unique('outage');
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        await bus.publish(topic, [{ key: 'k', value: 'waits' }]);
        const handled: string[] = [];
        let failures = 0;
        let stallSeen = false;
        const groupId = unique('group');
        const consumer = await bus.consume({
          groupId,
          topics: [topic],
          handleBatch: async ({ records }) => {
            if (failures < 6) {
              failures++;
              if (failures === 6) {
                stallSeen = bus
                  .stalls(500)
                  .some((stall) => stall.groupId === groupId && stall.topic === topic);
              }
              throw outage();
            }
            handled.push(...records.map((record) => record.value));
          },
        });
        await until(() => handled.length === 1);
        expect(failures).toBe(6);
        expect(stallSeen).toBe(true);
        expect(bus.stalls(0).filter((stall) => stall.groupId === groupId)).toEqual([]);
        const dead = await collect(bus, deadLetterTopic(topic));
        await pause(500);
        expect(dead.records).toEqual([]);
        await Promise.all([consumer.stop(), dead.consumer.stop()]);
      }),
      TIMEOUT,
    );

    it(
      'reports a partition whose handler hangs, with its offset',
      withBus(async (bus) => {
        const topic = unique('hang');
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        let release: () => void = () => {};
        const released = new Promise<void>((resolve) => (release = resolve));
        let started = false;
        const groupId = unique('group');
        const consumer = await bus.consume({
          groupId,
          topics: [topic],
          handleBatch: async () => {
            started = true;
            await released;
          },
        });
        await consumer.ready;
        await bus.publish(topic, [{ key: 'k', value: 'slow' }]);
        await until(() => started);
        await pause(150);
        const stalls = bus.stalls(100).filter((stall) => stall.groupId === groupId);
        expect(stalls).toEqual([
          expect.objectContaining({ topic, partition: 0, offset: '0', failures: 0, lastError: null }),
        ]);
        expect(stalls[0]!.sinceMs).toBeGreaterThanOrEqual(100);
        expect(bus.stalls(60_000).filter((stall) => stall.groupId === groupId)).toEqual([]);
        release();
        await until(() => bus.stalls(0).every((stall) => stall.groupId !== groupId));
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'tells the end of each partition: a consumer that reached it has seen every record published before',
      withBus(async (bus) => {
        const topic = unique('ends');
        await bus.ensureTopics([{ topic, partitions: 3 }]);
        expect(await bus.endOffsets(topic)).toEqual([0, 0, 0]);
        const sent = numbered(30);
        await bus.publish(topic, sent);
        const ends = await bus.endOffsets(topic);
        expect(ends).toHaveLength(3);
        expect(ends.reduce((sum, end) => sum + end, 0)).toBe(30);
        const { records, consumer } = await collect(bus, topic);
        await until(() =>
          ends.every((end, partition) => records.filter((r) => r.partition === partition).length === end),
        );
        expect(records.map((r) => r.value).sort()).toEqual(sent.map((r) => r.value).sort());
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'says when its group has handled everything published before the call',
      withBus(async (bus) => {
        const topic = unique('caught-up');
        await bus.ensureTopics([{ topic, partitions: 3 }]);
        let release: () => void = () => {};
        const released = new Promise<void>((resolve) => (release = resolve));
        const handled: string[] = [];
        const consumer = await bus.consume({
          groupId: unique('group'),
          topics: [topic],
          handleBatch: async ({ records }) => {
            await released;
            handled.push(...records.map((r) => r.value));
          },
        });
        await consumer.ready;
        expect(await consumer.caughtUp(1_000)).toBe(true); // nothing published yet
        await bus.publish(topic, numbered(20));
        expect(await consumer.caughtUp(300)).toBe(false);
        const caughtUp = consumer.caughtUp(20_000);
        release();
        expect(await caughtUp).toBe(true);
        expect(handled).toHaveLength(20);
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'continues a group after the last committed batch: no loss, order kept',
      withBus(async (bus) => {
        const topic = unique('resume');
        const groupId = unique('group');
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        const seen: number[] = [];
        let consumer: Consumer = await bus.consume({
          groupId,
          topics: [topic],
          maxBatchSize: 2,
          handleBatch: async ({ records }) => {
            seen.push(...records.map((r) => Number(r.value)));
            if (seen.length >= 4) void consumer.stop();
          },
        });
        await consumer.ready;
        await bus.publish(
          topic,
          numbered(10, () => 'k'),
        );
        await until(() => seen.length >= 4);
        await consumer.stop();
        const after: number[] = [];
        consumer = await bus.consume({
          groupId,
          topics: [topic],
          handleBatch: async ({ records }) => void after.push(...records.map((r) => Number(r.value))),
        });
        await until(() => after.includes(9));
        const all = [...new Set([...seen, ...after])];
        expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i));
        expect(after[0]).toBeLessThanOrEqual(seen.length);
        expect(after).toEqual([...after].sort((a, b) => a - b));
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      "starts a new group at the live end with startFrom 'latest'",
      withBus(async (bus) => {
        const topic = unique('latest');
        await bus.ensureTopics([{ topic, partitions: 2 }]);
        await bus.publish(topic, [{ key: 'k', value: 'old' }]);
        const { records, consumer } = await collect(bus, topic, unique('live'), { startFrom: 'latest' });
        await bus.publish(topic, [{ key: 'k', value: 'new' }]);
        await until(() => records.length === 1);
        await pause(200);
        expect(records.map((r) => r.value)).toEqual(['new']);
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'waits for the batch in flight on stop',
      withBus(async (bus) => {
        const topic = unique('stop');
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        let finished = false;
        let started = false;
        const consumer = await bus.consume({
          groupId: unique('group'),
          topics: [topic],
          handleBatch: async () => {
            started = true;
            await pause(300);
            finished = true;
          },
        });
        await consumer.ready;
        await bus.publish(topic, [{ key: 'k', value: 'slow' }]);
        await until(() => started);
        await consumer.stop();
        expect(finished).toBe(true);
      }),
      TIMEOUT,
    );
  });
};
