import { onServer, uniqueId } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { describeKeyStore } from './conformance';
import { MongoKeyStore } from './mongo-key-store';

await onServer('mongodb', 'Key store on MongoDB', (server) => {
  let shared: MongoClient;
  beforeAll(async () => {
    shared = await MongoClient.connect(server.url);
  });
  afterAll(async () => {
    await shared.close();
    await server.stop();
  });

  // A database per place, dropped after the test, so suites can share one server.
  const freshPlace = (open: (database: string) => Promise<MongoKeyStore>) => async () => {
    const database = uniqueId('key-store');
    return {
      open: () => open(database),
      dispose: async () => {
        await shared.db(database).dropDatabase();
      },
    };
  };

  describeKeyStore(
    'MongoDB, own client',
    freshPlace((database) => MongoKeyStore.open(server.url, { database })),
  );
  describeKeyStore(
    'MongoDB, shared client',
    freshPlace((database) => MongoKeyStore.on(shared.db(database))),
  );
});
