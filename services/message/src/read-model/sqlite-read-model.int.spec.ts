import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteFilesHolding } from '@chat/testkit';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeMessageReadModel } from './conformance';
import { SqliteReadModel } from './sqlite-read-model';
import { QUERIES } from './sqlite-sql';

const directory = mkdtempSync(join(tmpdir(), 'message-read-model-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
describeMessageReadModel('SQLite', async () =>
  SqliteReadModel.open(join(directory, `read-model-${++files}.db`)),
);

describe('SQLite read model made by an earlier release', () => {
  it('gains the columns edits and deletions need, keeping its messages', async () => {
    const path = join(directory, 'earlier.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE messages (
      room_id TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL, sender_id TEXT NOT NULL,
      content TEXT NOT NULL, message_type TEXT NOT NULL, client_msg_id TEXT, created_at TEXT NOT NULL,
      PRIMARY KEY (room_id, seq))`);
    db.prepare(
      "INSERT INTO messages VALUES ('r1', 1, 'm1', 'alice', 'hello', 'text', NULL, '2024-01-01T00:00:00.000Z')",
    ).run();
    db.close();

    const readModel = SqliteReadModel.open(path);
    await readModel.applyBatch([
      {
        at: { stream: 'room-r1', revision: 5 },
        changes: [
          {
            kind: 'message_edited',
            room_id: 'r1',
            seq: 1,
            content: 'hello again',
            edited_at: '2024-01-02T00:00:00.000Z',
          },
        ],
      },
    ]);
    expect((await readModel.listMessages('r1', { limit: 5 })).messages).toEqual([
      {
        room_id: 'r1',
        seq: 1,
        message_id: 'm1',
        sender_id: 'alice',
        content: 'hello again',
        message_type: 'text',
        client_msg_id: null,
        created_at: '2024-01-01T00:00:00.000Z',
        edited_at: '2024-01-02T00:00:00.000Z',
      },
    ]);
    await readModel.close();
  });
});

describe('SQLite read model query plans', () => {
  const sample = {
    stream: 'room-r1',
    room_id: 'r1',
    user_id: 'alice',
    owner_id: 'alice',
    since: '2024-01-01T00:00:00.000Z',
    before: '2024-01-01T00:00:00.000Z',
    after_seq: 0,
    before_seq: 100,
    from_seq: 1,
    to_seq: 50,
    viewer_id: 'alice',
    limit: 50,
    file_id: 'file_AAAAAAAAAAAAAAAAAAAAAA',
    thread_id: 'm1',
    created_at: '2024-01-01T00:00:00.000Z',
    seq: 1,
    emoji: '👍',
    after: 'general',
  };

  const planOf = async (sql: string): Promise<string[]> => {
    const path = join(directory, 'plans.db');
    await SqliteReadModel.open(path).close();
    const db = new Database(path, { readonly: true });
    const parameters = Object.entries(sample).filter(([name]) => sql.includes(`@${name}`));
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(Object.fromEntries(parameters)) as {
      detail: string;
    }[];
    db.close();
    return plan.map((step) => step.detail);
  };

  it.each(Object.entries(QUERIES))('%s searches an index and scans no table', async (_name, sql) => {
    const plan = await planOf(sql);
    expect(plan.filter((step) => step.startsWith('SCAN '))).toEqual([]);
    expect(plan.filter((step) => step.startsWith('SEARCH '))).not.toEqual([]);
  });

  it("finds a user's private rooms from their memberships, not by visiting every private room", async () => {
    expect(await planOf(QUERIES.listRoomsVisibleTo)).toContainEqual(
      expect.stringMatching(/^SEARCH m USING .*INDEX members_by_user/),
    );
  });
});

describe('SQLite read model erasing a user', () => {
  it('leaves no byte of what the user wrote in its files: not in rows, free pages or the log', async () => {
    const path = join(directory, 'erasure.db');
    const readModel = SqliteReadModel.open(path);
    const canary = `canary${crypto.randomUUID().replaceAll('-', '')}`;
    const at = '2024-05-01T10:00:00.000Z';
    const file = {
      file_id: 'file_AAAAAAAAAAAAAAAAAAAAAA',
      file_name: `${canary}.txt`,
      file_size: 10,
      content_type: 'text/plain',
      file_url: '/api/media/file_AAAAAAAAAAAAAAAAAAAAAA',
    };
    const message = (seq: number, sender_id: string, content: string) => ({
      room_id: 'r1',
      message_id: `m${seq}`,
      seq,
      sender_id,
      content,
      message_type: 'text' as const,
      client_msg_id: null,
      created_at: at,
    });
    await readModel.applyBatch([
      {
        at: { stream: 'room-r1', revision: 0 },
        changes: [
          {
            kind: 'room_created',
            room_id: 'r1',
            name: 'r1',
            private: true,
            owner_id: 'bob',
            created_at: at,
            room_kind: 'group',
          },
          { kind: 'message_added', message: message(1, 'alice', `hello ${canary}`) },
          {
            kind: 'message_added',
            message: { ...message(2, 'alice', 'a file'), message_type: 'file', file },
          },
          { kind: 'message_added', message: message(3, 'bob', 'kafka again') },
        ],
      },
      {
        at: { stream: `file-${file.file_id}`, revision: 1 },
        changes: [
          {
            kind: 'file_verified',
            file: { ...file, room_id: 'r1', size: 10, uploader_id: 'alice', verified_at: at },
          },
        ],
      },
    ]);
    expect(sqliteFilesHolding(path, canary)).not.toEqual([]);
    await readModel.applyBatch([
      {
        at: { stream: 'user-alice', revision: 0 },
        changes: [{ kind: 'user_erased', user_id: 'alice', erased_at: at }],
      },
    ]);
    expect(sqliteFilesHolding(path, canary)).toEqual([]);
    expect((await readModel.listMessages('r1', { limit: 5 })).messages.map((each) => each.content)).toEqual([
      '',
      '',
      'kafka again',
    ]);
    await readModel.close();
  });
});
