import { describe, expect, it } from 'vitest';
import type { Bus, Consumer, IncomingRecord } from './port';

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
  const collect = async (
    bus: Bus,
    topic: string,
    groupId = unique('group'),
    options: { startFrom?: 'earliest' | 'latest' } = {},
  ) => {
    const records: IncomingRecord[] = [];
    const consumer = await bus.consume({
      groupId,
      topics: [topic],
      startFrom: options.startFrom,
      handler: async (record) => {
        records.push(record);
      },
    });
    await consumer.ready;
    return { records, consumer };
  };
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
        const sent = Array.from({ length: 200 }, (_, i) => ({ key: `key-${i % 10}`, value: String(i) }));
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
      'gives every group every record, and splits one group among its consumers',
      withBus(async (bus) => {
        const topic = unique('groups');
        await bus.ensureTopics([{ topic, partitions: 4 }]);
        const groupA = unique('a');
        const first = await collect(bus, topic, groupA);
        const second = await collect(bus, topic, groupA);
        const other = await collect(bus, topic);
        await bus.publish(
          topic,
          Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: String(i) })),
        );
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
        const batch = (from: number) =>
          Array.from({ length: 50 }, (_, i) => ({ key: `k${from + i}`, value: String(from + i) }));
        await bus.publish(topic, batch(0));
        await until(() => leaving.records.length + staying.records.length >= 50);
        await leaving.consumer.stop();
        await bus.publish(topic, batch(50));
        await until(() => leaving.records.length + staying.records.length >= 100);
        await new Promise((resolve) => setTimeout(resolve, 500)); // a redelivery would show by now
        const handled = [...leaving.records, ...staying.records].map((r) => Number(r.value));
        expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
        expect(staying.records.filter((r) => Number(r.value) >= 50)).toHaveLength(50);
        await staying.consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'retries a failing record and handles nothing after it first',
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
          handler: async (record) => {
            if (record.value === 'b' && failures < 2) {
              failures++;
              throw new Error('transient');
            }
            handled.push(record.value);
          },
        });
        await until(() => handled.length === 3);
        expect(handled).toEqual(['a', 'b', 'c']);
        expect(failures).toBe(2);
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'continues a group after the last committed record: no loss, order kept',
      withBus(async (bus) => {
        const topic = unique('resume');
        const groupId = unique('group');
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        await bus.publish(
          topic,
          Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: String(i) })),
        );
        const seen: number[] = [];
        let consumer: Consumer = await bus.consume({
          groupId,
          topics: [topic],
          handler: async (record) => {
            seen.push(Number(record.value));
            if (seen.length === 4) void consumer.stop();
          },
        });
        await until(() => seen.length >= 4);
        await consumer.stop();
        const after: number[] = [];
        consumer = await bus.consume({
          groupId,
          topics: [topic],
          handler: async (r) => void after.push(Number(r.value)),
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
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(records.map((r) => r.value)).toEqual(['new']);
        await consumer.stop();
      }),
      TIMEOUT,
    );

    it(
      'waits for the in-flight handler on stop',
      withBus(async (bus) => {
        const topic = unique('stop');
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        let finished = false;
        let started = false;
        const consumer = await bus.consume({
          groupId: unique('group'),
          topics: [topic],
          handler: async () => {
            started = true;
            await new Promise((resolve) => setTimeout(resolve, 300));
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
