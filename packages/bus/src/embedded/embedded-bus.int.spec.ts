import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busConformance } from '../conformance';
import { EmbeddedBus } from './embedded-bus';

const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bus-'));
  return { path: join(dir, 'bus.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

busConformance('embedded (SQLite log)', async () => {
  const file = tempFile();
  const bus = EmbeddedBus.open(file.path);
  return {
    bus,
    dispose: async () => {
      await bus.close();
      file.remove();
    },
  };
});

describe('EmbeddedBus durability', () => {
  it('keeps records and committed offsets across a reopen', async () => {
    const file = tempFile();
    let bus = EmbeddedBus.open(file.path);
    await bus.ensureTopics([{ topic: 't', partitions: 2 }]);
    await bus.publish(
      't',
      [1, 2, 3].map((n) => ({ key: `k${n}`, value: String(n) })),
    );
    const first: string[] = [];
    const consumer = await bus.consume({
      groupId: 'g',
      topics: ['t'],
      handleBatch: async ({ records }) => void first.push(...records.map((r) => r.value)),
    });
    while (first.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    await consumer.stop();
    await bus.close();

    bus = EmbeddedBus.open(file.path);
    await bus.publish('t', [{ key: 'k4', value: '4' }]);
    const second: string[] = [];
    const again = await bus.consume({
      groupId: 'g',
      topics: ['t'],
      handleBatch: async ({ records }) => void second.push(...records.map((r) => r.value)),
    });
    while (second.length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second).toEqual(['4']);
    await again.stop();
    await bus.close();
    file.remove();
  });

  it('keeps only the latest record of each key in a compacted topic, whatever its age', async () => {
    const file = tempFile();
    const retention = { maxAgeMs: 0, checkEveryMs: 50 };
    let bus = EmbeddedBus.open(file.path, { retention });
    await bus.ensureTopics([
      { topic: 'state', partitions: 2, compacted: true },
      { topic: 'events', partitions: 1 },
    ]);
    await bus.publish('state', [
      { key: 'room-1', value: 'v1' },
      { key: 'room-2', value: 'v1' },
      { key: 'room-1', value: 'v2' },
      { key: 'room-1', value: 'v3' },
    ]);
    await bus.publish('events', [{ key: 'e', value: 'old' }]);
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few retention checks
    await bus.close();

    bus = EmbeddedBus.open(file.path);
    const state: string[] = [];
    const events: string[] = [];
    const consumers = await Promise.all([
      bus.consume({
        groupId: 'late',
        topics: ['state'],
        handleBatch: async ({ records }) => void state.push(...records.map((r) => `${r.key}=${r.value}`)),
      }),
      bus.consume({
        groupId: 'late',
        topics: ['events'],
        handleBatch: async ({ records }) => void events.push(...records.map((r) => r.value)),
      }),
    ]);
    while (state.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.sort()).toEqual(['room-1=v3', 'room-2=v1']);
    expect(events).toEqual([]); // consumed by no group yet, but older than the retention: gone
    expect(await bus.endOffsets('state')).toEqual([expect.any(Number), expect.any(Number)]);
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await bus.close();
    file.remove();
  });

  it('refuses to publish to a topic that was never created', async () => {
    const file = tempFile();
    const bus = EmbeddedBus.open(file.path);
    await expect(bus.publish('nowhere', [{ key: 'k', value: 'v' }])).rejects.toThrow(/Unknown topic/);
    await bus.close();
    file.remove();
  });
});
