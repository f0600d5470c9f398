import { onServer } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { expect, it } from 'vitest';
import { mediaReadModelConformance } from './conformance';
import { MongoMediaReadModel } from './mongo-read-model';

await onServer('mongodb', 'Media read model on MongoDB', (server) => {
  mediaReadModelConformance('MongoDB', async () => {
    const database = `media_conformance_${crypto.randomUUID().slice(0, 8)}`;
    const readModel = await MongoMediaReadModel.open(server.url, { database });
    const dispose = async () => {
      const client = await MongoClient.connect(server.url);
      await client.db(database).dropDatabase();
      await client.close();
      await readModel.close();
    };
    return { readModel, dispose };
  });

  it('opens again over its own database, as every restart of the service does', async () => {
    // FerretDB 1.24 drops the connection on a createIndexes naming several existing indexes.
    const database = `media_reopen_${crypto.randomUUID().slice(0, 8)}`;
    await (await MongoMediaReadModel.open(server.url, { database })).close();
    const reopened = await MongoMediaReadModel.open(server.url, { database });
    await reopened.close();
    const client = await MongoClient.connect(server.url);
    await client.db(database).dropDatabase();
    await client.close();
    expect(reopened).toBeInstanceOf(MongoMediaReadModel);
  });
});
