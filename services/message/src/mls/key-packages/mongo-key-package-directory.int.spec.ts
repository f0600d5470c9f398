import { onServer } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { describeKeyPackageDirectory } from './conformance';
import { MongoKeyPackageDirectory } from './mongo-key-package-directory';

await onServer('mongodb', 'KeyPackage directory on MongoDB', (server) => {
  // One client drops each test's database after it, so suites can share one server.
  let admin: MongoClient;
  let opened: string[] = [];

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

  describeKeyPackageDirectory('MongoDB', async () => {
    const database = `chat_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
    opened.push(database);
    return MongoKeyPackageDirectory.open(server.url, { database });
  });
});
