import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteFilesHolding } from '@chat/testkit';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeSearchIndex } from './search-index.conformance';
import { SqliteSearchIndex } from './sqlite-search-index';

const directory = mkdtempSync(join(tmpdir(), 'search-index-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
describeSearchIndex('SQLite FTS5', async () =>
  SqliteSearchIndex.open(join(directory, `index-${++files}.db`)),
);

describe('SQLite search index made before threads', () => {
  it('gains the thread_id column, keeping its messages as no replies', async () => {
    const path = join(directory, 'earlier.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE messages (
      id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, room_id TEXT NOT NULL, seq INTEGER NOT NULL,
      sender_id TEXT NOT NULL, content TEXT NOT NULL, created_at TEXT NOT NULL, edited_at TEXT)`);
    db.close();
    const index = SqliteSearchIndex.open(path);
    const message = {
      message_id: 'm1',
      room_id: 'r1',
      seq: 1,
      sender_id: 'alice',
      content: 'threaded kafka',
      created_at: '2024-05-01T10:00:00.000Z',
      edited_at: null,
      thread_id: 'm0',
    };
    await index.applyBatch([
      { at: { stream: 'room-r1', revision: 0 }, changes: [{ kind: 'message_indexed', message }] },
    ]);
    const [hit] = await index.search({ text: 'kafka', rooms: ['r1'], order: 'recent', limit: 5 });
    expect(hit?.message).toEqual(message);
    await index.close();
  });
});

describe('SQLite search index erasing a user', () => {
  it("leaves no byte of the user's words in its files: not in the full-text segments, free pages or the log", async () => {
    const path = join(directory, 'erasure.db');
    const index = SqliteSearchIndex.open(path);
    const canary = `canary${crypto.randomUUID().replaceAll('-', '')}`;
    const message = (seq: number, sender_id: string, content: string) => ({
      kind: 'message_indexed' as const,
      message: {
        message_id: `m${seq}`,
        room_id: 'r1',
        seq,
        sender_id,
        content,
        created_at: '2024-05-01T10:00:00.000Z',
        edited_at: null,
        thread_id: null,
      },
    });
    await index.applyBatch([
      {
        at: { stream: 'room-r1', revision: 0 },
        changes: [message(1, 'alice', `hello ${canary}`), message(2, 'bob', 'kafka again')],
      },
    ]);
    expect(sqliteFilesHolding(path, canary)).not.toEqual([]);
    await index.applyBatch([
      { at: { stream: 'user-alice', revision: 0 }, changes: [{ kind: 'user_erased', user_id: 'alice' }] },
    ]);
    expect(sqliteFilesHolding(path, canary)).toEqual([]);
    expect((await index.search({ text: 'kafka', rooms: ['r1'], order: 'recent', limit: 5 })).length).toBe(1);
    await index.close();
  });
});
