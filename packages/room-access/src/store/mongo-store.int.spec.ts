import { onServer, uniqueId } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { describeRoomAccessStore } from './conformance';
import { MongoRoomAccessStore } from './mongo-store';

await onServer('mongodb', 'Room access store on MongoDB', (server) => {
  // One client to drop each test's database, and to share with the stores that do not own one.
  let shared: MongoClient;
  beforeAll(async () => {
    shared = await MongoClient.connect(server.url);
  });
  afterAll(async () => {
    await shared.close();
    await server.stop();
  });

  // A database per place, dropped after the test, so suites can share one server.
  const freshPlace = (open: (database: string) => Promise<MongoRoomAccessStore>) => async () => {
    const database = uniqueId('room-access');
    return {
      open: () => open(database),
      dispose: async () => {
        await shared.db(database).dropDatabase();
      },
    };
  };

  describeRoomAccessStore(
    'MongoDB, own client',
    freshPlace((database) => MongoRoomAccessStore.open(server.url, { database, owner: 'conformance' })),
  );
  // Closing a store must leave the shared client usable for the next one and for the drop.
  describeRoomAccessStore(
    'MongoDB, shared client',
    freshPlace((database) => MongoRoomAccessStore.on(shared.db(database), 'conformance')),
  );
});
