import { announce, resolveServer } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { describe, it } from 'vitest';
import { notificationReadModelConformance } from './conformance';
import { MongoNotificationReadModel } from './mongo-read-model';

const server = await resolveServer('mongodb');
announce('Notification read model on MongoDB', server);

if (server.available) {
  notificationReadModelConformance('MongoDB', async () => {
    const database = `notify_conformance_${crypto.randomUUID().slice(0, 8)}`;
    const readModel = await MongoNotificationReadModel.open(server.url, { database });
    return {
      readModel,
      dispose: async () => {
        const client = await MongoClient.connect(server.url);
        await client.db(database).dropDatabase();
        await client.close();
        await readModel.close();
      },
    };
  });
} else {
  describe.skip(`Notification read model on MongoDB — ${server.reason}`, () => {
    it('needs MONGODB_URL or a container engine', () => {});
  });
}
