import { onServer } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { describeAuditReadModel } from './conformance';
import { MongoAuditReadModel } from './mongo-audit-read-model';

await onServer('mongodb', 'Audit read model on MongoDB', (server) => {
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

  describeAuditReadModel('MongoDB', async () => {
    const database = `chat_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
    opened.push(database);
    return {
      readModel: await MongoAuditReadModel.open(server.url, { database }),
      async editActor(seq, actor) {
        await admin
          .db(database)
          .collection<{ _id: number }>('audit_records')
          .updateOne({ _id: seq }, { $set: { actor } });
      },
    };
  });
});
