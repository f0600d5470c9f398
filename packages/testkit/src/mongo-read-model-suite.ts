import { MongoClient } from 'mongodb';
import { expect, it } from 'vitest';
import { onServer, uniqueId, type OpenedReadModel } from './conformance';

const dropDatabase = async (url: string, database: string) => {
  const client = await MongoClient.connect(url);
  try {
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
};

/**
 * A MongoDB read model's integration suite: its conformance suite with a database per test,
 * dropped after it, and the reopen over existing indexes that every restart of its service does
 * (FerretDB 1.24 dropped the connection on a createIndexes naming several existing indexes).
 */
export const mongoReadModelSuite = <T extends { close(): Promise<void> }>(
  suite: string,
  open: (url: string, database: string) => Promise<T>,
  conformance: (name: string, open: () => Promise<OpenedReadModel<T>>) => void,
): Promise<void> =>
  onServer('mongodb', suite, (server) => {
    conformance('MongoDB', async () => {
      // A database of its own on a shared server, so suites never see each other's documents.
      const database = uniqueId('conformance');
      const readModel = await open(server.url, database);
      const dispose = async () => {
        await readModel.close();
        await dropDatabase(server.url, database);
      };
      return { readModel, dispose };
    });

    it('opens again over its own database, as every restart of the service does', async () => {
      const database = uniqueId('reopen');
      try {
        await (await open(server.url, database)).close();
        const reopening = open(server.url, database);
        await expect(reopening).resolves.toBeDefined();
        await (await reopening).close();
      } finally {
        await dropDatabase(server.url, database);
      }
    });
  });
