import { announce, resolveServer } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { describeCheckpointStore } from './checkpoint-store.conformance';
import { MongoCheckpointStore } from './mongo-checkpoint-store';

const server = await resolveServer('mongodb');
announce('Checkpoint store on MongoDB', server);

if (server.available) {
  // One client to drop each test's database, and to share with the stores that do not own one.
  let shared: MongoClient;
  beforeAll(async () => {
    shared = await MongoClient.connect(server.url);
  });
  afterAll(async () => {
    await shared.close();
    await server.stop();
  });

  // A database per test, dropped after it, so suites can share one server.
  const freshDatabase = () => `chat_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const dropping = (database: string) => async () => {
    await shared.db(database).dropDatabase();
  };

  describeCheckpointStore('MongoDB, own client', async () => {
    const database = freshDatabase();
    return {
      open: () => MongoCheckpointStore.open(server.url, { database }),
      dispose: dropping(database),
    };
  });

  describeCheckpointStore('MongoDB, shared client', async () => {
    const database = freshDatabase();
    return {
      // Closing a store must leave the shared client usable for the next one and for the drop.
      open: async () => MongoCheckpointStore.on(shared.db(database)),
      dispose: dropping(database),
    };
  });
} else {
  describe.skip(`Checkpoint store on MongoDB — ${server.reason}`, () => {
    it('needs MONGODB_URL or a container engine', () => {});
  });
}
