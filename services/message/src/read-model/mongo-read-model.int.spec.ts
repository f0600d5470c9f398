import { roomStream } from '@chat/contracts';
import { announce, resolveServer } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeMessageReadModel } from './conformance';
import { MongoReadModel } from './mongo-read-model';

const server = await resolveServer('mongodb');
announce('Message read model on MongoDB', server);

// FerretDB 1.x reads the whole collection for every range query (see INDEXES in the adapter):
// on a busy two-core machine the 100,000-message room takes about a minute there.
vi.setConfig({ testTimeout: 300_000 });

if (server.available) {
  // One client drops each test's database after it, so suites can share one server.
  let admin: MongoClient;
  let opened: string[] = [];
  const freshDatabase = () => {
    const name = `chat_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
    opened.push(name);
    return name;
  };

  beforeAll(async () => {
    admin = await MongoClient.connect(server.url);
  });
  afterEach(async () => {
    for (const database of opened) await admin.db(database).dropDatabase();
    opened = [];
  });
  afterAll(async () => {
    await admin.close();
    await server.stop();
  });

  describeMessageReadModel('MongoDB', () => MongoReadModel.open(server.url, { database: freshDatabase() }));

  describe('MongoDB read model, reopened on a shared client', () => {
    it('finds its data again after a restart, and leaves the shared client open when closed', async () => {
      const db = admin.db(freshDatabase());
      const before = await MongoReadModel.on(db);
      await before.applyBatch([
        {
          at: { stream: roomStream('r1'), revision: 0 },
          changes: [
            {
              kind: 'room_created',
              room_id: 'r1',
              name: 'Room r1',
              private: false,
              owner_id: 'alice',
              created_at: '2024-05-01T10:00:00.000Z',
              room_kind: 'group',
            },
          ],
        },
      ]);
      await before.close();

      // Opening again meets the indexes already there; a closed client would throw.
      const after = await MongoReadModel.on(db);
      expect(await after.appliedRevision(roomStream('r1'))).toBe(0);
      expect(await after.findRoom('r1', 'alice')).toMatchObject({ name: 'Room r1', member_count: 0 });
    });
  });
} else {
  describe.skip(`Message read model on MongoDB — ${server.reason}`, () => {
    it('needs MONGODB_URL or a container engine', () => {});
  });
}
