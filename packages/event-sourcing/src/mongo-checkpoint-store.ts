import { comparePositions } from '@chat/eventstore';
import type { Collection, Db, MongoClient } from 'mongodb';
import type { CheckpointStore } from './checkpoint-store';
import { connectMongo } from './mongo-connect';
import { isDuplicateKey } from './mongo-writes';

interface CheckpointDoc {
  /** The checkpoint's name. */
  _id: string;
  position?: string;
  owner?: string;
  /** Milliseconds since the epoch. */
  lease_expires_at?: number;
}

/**
 * Checkpoints on MongoDB (or FerretDB): one document per name in the `checkpoints` collection,
 * holding the position and the lease. Every write is conditional on the document as read
 * (compare-and-set), since FerretDB has no transactions.
 */
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

  async acquire(name: string, owner: string, ttlMs: number, replacing = owner): Promise<boolean> {
    const now = Date.now();
    const lease = { owner, lease_expires_at: now + ttlMs };
    try {
      const taken = await this.checkpoints.updateOne(
        {
          _id: name,
          $or: [
            { owner: { $in: [owner, replacing] } },
            { owner: { $exists: false } },
            { lease_expires_at: { $lte: now } },
          ],
        },
        { $set: lease },
        { upsert: true },
      );
      return taken.matchedCount + taken.upsertedCount === 1;
    } catch (error) {
      // The upsert of a name someone else holds: the filter matched nothing, the insert collided.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async holder(name: string): Promise<string | undefined> {
    return (await this.checkpoints.findOne({ _id: name }))?.owner;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.checkpoints.updateOne({ _id: name, owner }, { $unset: { owner: '', lease_expires_at: '' } });
  }

  async load(name: string): Promise<string | undefined> {
    return (await this.checkpoints.findOne({ _id: name }))?.position;
  }

  async save(name: string, position: string, owner: string): Promise<boolean> {
    for (;;) {
      const current = await this.checkpoints.findOne({ _id: name });
      if (!current || current.owner !== owner) return false;
      if (current.position !== undefined && comparePositions(position, current.position) < 0) return true;
      const written = await this.checkpoints.updateOne(
        { _id: name, owner, position: current.position ?? { $exists: false } },
        { $set: { position } },
      );
      if (written.matchedCount === 1) return true;
    }
  }

  async close(): Promise<void> {
    await this.ownClient?.close();
  }
}
