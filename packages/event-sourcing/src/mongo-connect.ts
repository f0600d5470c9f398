import { MongoClient, type Db, type IndexDescription } from 'mongodb';

/**
 * Connects to `url`, and hands the database `database` (default: the one named in the URL) and
 * the client to `prepare`; if that fails, closes the client before rethrowing.
 */
export const connectMongo = async <T>(
  url: string,
  options: { database?: string },
  prepare: (db: Db, client: MongoClient) => Promise<T>,
): Promise<T> => {
  const client = await MongoClient.connect(url);
  try {
    return await prepare(client.db(options.database), client);
  } catch (error) {
    await client.close();
    throw error;
  }
};

/**
 * Creates each index in a command of its own: FerretDB 1.24 panics (and drops the connection) on
 * a createIndexes that names several indexes which all exist already, as they do on every restart.
 */
export const createIndexesOneByOne = async (
  db: Db,
  indexes: readonly (readonly [collection: string, index: IndexDescription])[],
): Promise<void> => {
  for (const [collection, index] of indexes) await db.collection(collection).createIndexes([index]);
};
