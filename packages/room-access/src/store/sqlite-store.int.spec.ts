import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRoomAccessStore } from './conformance';
import { SqliteRoomAccessStore } from './sqlite-store';

describeRoomAccessStore('SQLite', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'room-access-'));
  return {
    open: async () => SqliteRoomAccessStore.open(join(directory, 'room-access.db')),
    dispose: async () => rmSync(directory, { recursive: true, force: true }),
  };
});

describe('room access store in memory (SQLite)', () => {
  it('starts empty, under a new generation, at every open', async () => {
    const first = SqliteRoomAccessStore.open(':memory:');
    const second = SqliteRoomAccessStore.open(':memory:');
    try {
      expect(await first.generation()).not.toBe(await second.generation());
      await first.save(
        [
          {
            room_id: 'r1',
            kind: 'group',
            private: false,
            deleted: false,
            owner_id: 'ann',
            members: [],
            revision: 0,
          },
        ],
        [{ partition: 0, nextOffset: 1 }],
      );
      expect(await second.get('r1')).toBeNull();
      expect(await second.readOffsets()).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
