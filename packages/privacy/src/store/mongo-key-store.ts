import { connectMongo, createIndexesOneByOne, isDuplicateKey } from '@chat/event-sourcing/mongo';
import type { Collection, Db, MongoClient } from 'mongodb';
import type { GoneReason, KekCheck, KeyLookup, KeyStore, WrappedKey } from './port';

/** A key by id; a destroyed one keeps its scope, user and period, loses kek_id and wrapped, and says why. */
interface KeyDoc {
  _id: string;
  scope: string;
  user_id: string;
  period: number;
  kek_id?: string;
  wrapped?: string;
  gone?: GoneReason;
  destroyed_at?: string;
}

interface KekDoc {
  _id: 'kek';
  kek_id: string;
}

const COLLECTIONS = { keys: 'privacy_data_keys', kek: 'privacy_kek' } as const;

const lookupOf = (doc: KeyDoc | null): KeyLookup => {
  if (!doc) return { status: 'missing' };
  if (doc.gone) return { status: 'gone', reason: doc.gone };
  return { status: 'live', key: keyOf(doc) };
};

const keyOf = ({ _id, scope, user_id, period, kek_id, wrapped }: KeyDoc): WrappedKey => ({
  key_id: _id,
  scope,
  user_id,
  period,
  kek_id: kek_id!,
  wrapped: wrapped!,
});

const destroy = (reason: GoneReason) => ({
  $unset: { kek_id: '' as const, wrapped: '' as const },
  $set: { gone: reason, destroyed_at: new Date().toISOString() },
});

/**
 * The key store on MongoDB (FerretDB locally): one document per key id, so creating a key is one
 * insert that only the first writer wins, and destroying one is a single-document update.
 */
export class MongoKeyStore implements KeyStore {
  private readonly keys: Collection<KeyDoc>;
  private readonly kek: Collection<KekDoc>;

  private constructor(
    db: Db,
    /** Set when this store opened the client, and so closes it. */
    private readonly ownClient?: MongoClient,
  ) {
    this.keys = db.collection(COLLECTIONS.keys);
    this.kek = db.collection(COLLECTIONS.kek);
  }

  /** Connects to `url` and uses `database` (default: the one named in the URL). */
  static async open(url: string, options: { database?: string } = {}): Promise<MongoKeyStore> {
    return connectMongo(url, options, (db, client) => MongoKeyStore.prepare(db, client));
  }

  /** On a database of a client shared with others; `close` leaves that client open. */
  static async on(db: Db): Promise<MongoKeyStore> {
    return MongoKeyStore.prepare(db);
  }

  private static async prepare(db: Db, ownClient?: MongoClient): Promise<MongoKeyStore> {
    await createIndexesOneByOne(db, [
      [COLLECTIONS.keys, { name: 'data_keys_by_user', key: { user_id: 1 } }],
      [COLLECTIONS.keys, { name: 'data_keys_by_scope', key: { scope: 1, period: 1 } }],
      [COLLECTIONS.keys, { name: 'data_keys_by_kek', key: { kek_id: 1, _id: 1 } }],
    ]);
    return new MongoKeyStore(db, ownClient);
  }

  async checkKek(kekId: string): Promise<KekCheck> {
    try {
      await this.kek.insertOne({ _id: 'kek', kek_id: kekId });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const stored = (await this.kek.findOne({ _id: 'kek' }))!.kek_id;
    return stored === kekId
      ? { ok: true }
      : { ok: false, code: 'wrong_encryption_key', stored_kek_id: stored, given_kek_id: kekId };
  }

  async getOrCreate(candidate: WrappedKey): Promise<KeyLookup & { status: 'live' | 'gone' }> {
    const { key_id, ...rest } = candidate;
    try {
      await this.keys.insertOne({ _id: key_id, ...rest });
      return { status: 'live', key: candidate };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return lookupOf(await this.keys.findOne({ _id: key_id })) as KeyLookup & { status: 'live' | 'gone' };
  }

  async get(keyId: string): Promise<KeyLookup> {
    return lookupOf(await this.keys.findOne({ _id: keyId }));
  }

  async destroyByUser(userId: string): Promise<number> {
    const { modifiedCount } = await this.keys.updateMany(
      { user_id: userId, gone: { $exists: false } },
      destroy('erased'),
    );
    return modifiedCount;
  }

  async destroyScopeBefore(scope: string, period: number): Promise<number> {
    const { modifiedCount } = await this.keys.updateMany(
      { scope, period: { $lt: period }, gone: { $exists: false } },
      destroy('expired'),
    );
    return modifiedCount;
  }

  async listWrappedUnder(kekId: string, limit: number, afterKeyId = ''): Promise<WrappedKey[]> {
    const docs = await this.keys
      .find({ kek_id: kekId, _id: { $gt: afterKeyId } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(keyOf);
  }

  async rewrap(keyId: string, fromKekId: string, to: { kek_id: string; wrapped: string }): Promise<boolean> {
    const { modifiedCount } = await this.keys.updateOne(
      { _id: keyId, kek_id: fromKekId },
      { $set: { kek_id: to.kek_id, wrapped: to.wrapped } },
    );
    return modifiedCount > 0;
  }

  async recordKek(kekId: string): Promise<void> {
    await this.kek.updateOne({ _id: 'kek' }, { $set: { kek_id: kekId } }, { upsert: true });
  }

  async close(): Promise<void> {
    await this.ownClient?.close();
  }
}
