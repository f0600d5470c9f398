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
      handler: async (r) => void first.push(r.value),
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
      handler: async (r) => void second.push(r.value),
    });
    while (second.length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second).toEqual(['4']);
    await again.stop();
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
