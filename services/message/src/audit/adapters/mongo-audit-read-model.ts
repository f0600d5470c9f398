import type { ChainedAuditRecord } from '@chat/contracts';
import { connectMongo, createIndexesOneByOne, insertNew } from '@chat/event-sourcing/mongo';
import type { Collection, Db, Filter, MongoClient } from 'mongodb';
import type { AuditFilter, AuditReadModel } from '../application/port';

/** A record keyed by its seq; absent optional fields are absent here too, never null. */
type AuditDoc = Omit<ChainedAuditRecord, 'seq'> & { _id: number };

const COLLECTION = 'audit_records';

const INDEXES = [
  [COLLECTION, { key: { audit_id: 1 }, name: 'audit_by_id', unique: true }],
  [COLLECTION, { key: { room_id: 1, _id: -1 }, name: 'audit_by_room' }],
  [COLLECTION, { key: { actor: 1, _id: -1 }, name: 'audit_by_actor' }],
  [COLLECTION, { key: { action: 1, _id: -1 }, name: 'audit_by_action' }],
  [COLLECTION, { key: { 'target.id': 1, _id: -1 }, name: 'audit_by_target' }],
] as const;

const toDoc = ({ seq, ...record }: ChainedAuditRecord): AuditDoc => ({
  _id: seq,
  ...(Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Omit<
    ChainedAuditRecord,
    'seq'
  >),
});

const toRecord = ({ _id, ...doc }: AuditDoc): ChainedAuditRecord => ({ ...doc, seq: _id });

const filterOf = (filter: AuditFilter): Filter<AuditDoc> => {
  const at = {
    ...(filter.since ? { $gte: filter.since } : {}),
    ...(filter.until ? { $lt: filter.until } : {}),
  };
  return {
    ...(filter.roomIds ? { room_id: { $in: [...filter.roomIds] } } : {}),
    ...(filter.actor !== undefined ? { actor: filter.actor } : {}),
    ...(filter.concerning !== undefined
      ? { $or: [{ actor: filter.concerning }, { 'target.type': 'user', 'target.id': filter.concerning }] }
      : {}),
    ...(filter.action !== undefined ? { action: filter.action } : {}),
    ...(Object.keys(at).length ? { at } : {}),
    ...(filter.beforeSeq !== undefined ? { _id: { $lt: filter.beforeSeq } } : {}),
  };
};

/** The audit read model on MongoDB: one collection of the chain's records. */
export class MongoAuditReadModel implements AuditReadModel {
  private readonly records: Collection<AuditDoc>;

  private constructor(
    db: Db,
    /** Set when this read model opened the client, and so closes it. */
    private readonly ownClient?: MongoClient,
  ) {
    this.records = db.collection(COLLECTION);
  }

  /** Connects to `url` and uses `database` (default: the one named in the URL). */
  static async open(url: string, options: { database?: string } = {}): Promise<MongoAuditReadModel> {
    return connectMongo(url, options, async (db, client) => {
      await createIndexesOneByOne(db, INDEXES);
      return new MongoAuditReadModel(db, client);
    });
  }

  async store(records: readonly ChainedAuditRecord[]): Promise<void> {
    // A seq stored already is the same record, written by an interrupted earlier attempt.
    await insertNew(this.records, records.map(toDoc));
  }

  async lastSeq(): Promise<number> {
    const [last] = await this.records
      .find({}, { projection: { _id: 1 } })
      .sort({ _id: -1 })
      .limit(1)
      .toArray();
    return last?._id ?? 0;
  }

  async existing(auditIds: readonly string[]): Promise<Set<string>> {
    const docs = await this.records
      .find({ audit_id: { $in: [...auditIds] } }, { projection: { audit_id: 1 } })
      .toArray();
    return new Set(docs.map((doc) => doc.audit_id));
  }

  async query(filter: AuditFilter, limit: number): Promise<ChainedAuditRecord[]> {
    const docs = await this.records.find(filterOf(filter)).sort({ _id: -1 }).limit(limit).toArray();
    return docs.map(toRecord);
  }

  async chain(fromSeq: number, limit: number): Promise<ChainedAuditRecord[]> {
    const docs = await this.records
      .find({ _id: { $gte: fromSeq } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toRecord);
  }

  async close(): Promise<void> {
    await this.ownClient?.close();
  }
}
