import type { Collection, Db, MongoClient } from 'mongodb';
import type { CheckpointStore } from './checkpoint-store';
import { connectMongo } from './mongo-connect';

interface CheckpointDoc {
  /** The checkpoint's name. */
  _id: string;
  position: string;
}

/** Checkpoints on MongoDB (or FerretDB): one document per name, in the `checkpoints` collection. */
export class MongoCheckpointStore implements CheckpointStore {
  private readonly checkpoints: Collection<CheckpointDoc>;

  private constructor(
    db: Db,
    /** Set when this store opened the client, and so closes it. */
    private readonly ownClient?: MongoClient,
  ) {
    this.checkpoints = db.collection('checkpoints');
  }

  /** Connects to `url` and uses `database` (default: the one named in the URL). */
  static async open(url: string, options: { database?: string } = {}): Promise<MongoCheckpointStore> {
    return connectMongo(url, options, async (db, client) => new MongoCheckpointStore(db, client));
  }

  /** On a database of a client shared with others (the read model's); `close` leaves that client open. */
  static on(db: Db): MongoCheckpointStore {
    return new MongoCheckpointStore(db);
  }

  async load(name: string): Promise<string | undefined> {
    return (await this.checkpoints.findOne({ _id: name }))?.position;
  }

  async save(name: string, position: string): Promise<void> {
    await this.checkpoints.updateOne({ _id: name }, { $set: { position } }, { upsert: true });
  }

  async close(): Promise<void> {
    await this.ownClient?.close();
  }
}
