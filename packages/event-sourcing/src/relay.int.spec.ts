import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingRecord } from '@chat/bus';
import { EmbeddedBus } from '@chat/bus/embedded';
import type { EventRecord } from '@chat/contracts';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { eventually } from '@chat/testkit';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay, type RelayOptions } from './relay';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store';

const logger = pino({ level: 'silent' });

describe('the relay', () => {
  let dir: string;
  let bus: EmbeddedBus;
  let store: SqliteEventStore;
  let checkpoints: SqliteCheckpointStore;
  const relays: Relay[] = [];
  const received: IncomingRecord[] = [];

  const relay = (overrides: Partial<RelayOptions> = {}) => {
    const started = startRelay({
      name: 'test-relay',
      store,
      bus,
      checkpoints,
      streamPrefixes: ['thing-'],
      topic: 'things',
      keyOf: (event) => event.streamName,
      logger,
      leaseTtlMs: 500,
      ...overrides,
    });
    relays.push(started);
    return started;
  };
  const append = (stream: string, count: number) =>
    store.append(
      stream,
      Array.from({ length: count }, (_, n) => ({
        id: crypto.randomUUID(),
        type: 'Happened',
        data: { n },
        metadata: {},
      })),
      'any',
    );
  const relayed = () =>
    received.filter((record) => record.topic === 'things').map((r) => JSON.parse(r.value) as EventRecord);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-'));
    bus = EmbeddedBus.open(join(dir, 'bus.db'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
    checkpoints = SqliteCheckpointStore.open(join(dir, 'checkpoints.db'));
    await bus.ensureTopics([
      { topic: 'things', partitions: 2 },
      { topic: 'state', partitions: 2, compacted: true },
    ]);
    received.length = 0;
    await bus.consume({
      groupId: 'observer',
      topics: ['things', 'state'],
      handleBatch: async ({ records }) => void received.push(...records),
    });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((each) => each.stop()));
    await bus.close();
    await store.close();
    checkpoints.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes every event once, whatever the number of replicas running it', async () => {
    relay();
    relay();
    relay();
    await append('thing-a', 30);
    await append('thing-b', 20);
    await eventually(() => expect(relayed()).toHaveLength(50), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second relay would show by now
    expect(relayed()).toHaveLength(50);
    expect(
      relayed()
        .filter((event) => event.stream === 'thing-a')
        .map((event) => event.revision),
    ).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('is taken over by another replica when its holder stops, from where it left off', async () => {
    const first = relay();
    await append('thing-a', 10);
    await eventually(() => expect(relayed()).toHaveLength(10), 10_000);
    await first.stop();
    relay();
    await append('thing-a', 5);
    await eventually(() => expect(relayed()).toHaveLength(15), 10_000);
    expect(relayed().map((event) => event.revision)).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('takes over the lease of a relay that crashed elsewhere once it expires', async () => {
    await checkpoints.acquire('test-relay', 'another-host/4242/crashed', 400);
    relay();
    await append('thing-a', 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(relayed()).toHaveLength(0);
    await eventually(() => expect(relayed()).toHaveLength(3), 10_000);
    expect(await checkpoints.holder('test-relay')).not.toBe('another-host/4242/crashed');
  });

  it('tells when an event is on the bus, in this process or another', async () => {
    const running = relay();
    const { position } = await append('thing-a', 3);
    expect(await running.published(position, 10_000)).toBe(true);
    expect(relayed()).toHaveLength(3);
    const standby = relay(); // holds no lease: learns it from the checkpoint
    expect(await standby.published(position, 10_000)).toBe(true);
    const later = await append('thing-b', 1);
    await running.stop();
    await standby.stop();
    expect(await standby.published(later.position, 100)).toBe(false);
  });

  it('publishes derived records before the events they were derived from', async () => {
    relay({
      derive: async (events) => [
        {
          topic: 'state',
          records: [...new Set(events.map((event) => event.streamName))].map((stream) => ({
            key: stream,
            value: String(events.filter((event) => event.streamName === stream).length),
          })),
        },
      ],
    });
    const { position } = await append('thing-a', 4);
    await eventually(() => expect(relayed()).toHaveLength(4), 10_000);
    expect(received.findIndex((record) => record.topic === 'state')).toBeLessThan(
      received.findIndex((record) => record.topic === 'things'),
    );
    expect(await checkpoints.load('test-relay')).toBe(position);
  });

  it('sends each event to the topic chosen for it, in order on each', async () => {
    relay({ topic: (event) => ((event.data as { n: number }).n % 2 === 0 ? 'things' : 'state') });
    await append('thing-a', 5);
    await eventually(() => expect(received).toHaveLength(5), 10_000);
    const numbers = (topic: string) =>
      received
        .filter((record) => record.topic === topic)
        .map((record) => (JSON.parse(record.value) as { data: { n: number } }).data.n);
    expect(numbers('things')).toEqual([0, 2, 4]);
    expect(numbers('state')).toEqual([1, 3]);
  });
});
