import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventStoreConformance } from '../conformance';
import { SqliteEventStore } from './sqlite-event-store';

const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'events-'));
  return { path: join(dir, 'events.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

eventStoreConformance('SQLite', async () => {
  const file = tempFile();
  const store = SqliteEventStore.open(file.path);
  return {
    store,
    dispose: async () => {
      await store.close();
      file.remove();
    },
  };
});

describe('SqliteEventStore across instances', () => {
  it('delivers to a subscriber appends made through another instance on the same file', async () => {
    const file = tempFile();
    const writer = SqliteEventStore.open(file.path);
    const reader = SqliteEventStore.open(file.path);
    const subscription = reader.subscribe({ streamPrefixes: ['room-'] });
    const iterator = subscription[Symbol.asyncIterator]();
    const next = iterator.next();
    await writer.append(
      'room-1',
      [{ id: crypto.randomUUID(), type: 'Hello', data: {}, metadata: {} }],
      'no_stream',
    );
    expect((await next).value).toMatchObject({ type: 'Hello', streamName: 'room-1', revision: 0 });
    await subscription.close();
    await writer.close();
    await reader.close();
    file.remove();
  });

  it('keeps events across a reopen', async () => {
    const file = tempFile();
    const first = SqliteEventStore.open(file.path);
    await first.append(
      'room-1',
      [{ id: crypto.randomUUID(), type: 'Kept', data: { n: 1 }, metadata: {} }],
      'no_stream',
    );
    await first.close();
    const second = SqliteEventStore.open(file.path);
    expect(await second.streamRevision('room-1')).toBe(0);
    await second.close();
    file.remove();
  });
});
