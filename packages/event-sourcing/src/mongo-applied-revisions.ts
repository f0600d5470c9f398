import type { Collection, Db } from 'mongodb';
import type { StreamRevision } from './stream-revision';

interface StreamRevisionDoc {
  /** The stream. */
  _id: string;
  revision: number;
}

/**
 * The revision a read model last applied of each stream, one document per stream, on MongoDB
 * (or FerretDB, which has no multi-document transactions). `applyOnce` is therefore not atomic but
 * crash-safe by ordering, for writes that can be repeated without effect: it runs them first and
 * records the revision last, so an event interrupted by a crash is applied again in full when it
 * is redelivered, and one already recorded is skipped.
 */
export class MongoAppliedRevisions {
  private readonly revisions: Collection<StreamRevisionDoc>;

  /** Uses the collection `collection` of `db`. */
  constructor(db: Db, collection: string) {
    this.revisions = db.collection(collection);
  }

  /** The last revision of `stream` applied, or `null` if none was. */
  async appliedRevision(stream: string): Promise<number | null> {
    return (await this.revisions.findOne({ _id: stream }))?.revision ?? null;
  }

  /** Runs `write` and then records `at`, unless `at` was applied already; true if it ran. */
  async applyOnce(at: StreamRevision, write: () => Promise<void>): Promise<boolean> {
    const applied = await this.appliedRevision(at.stream);
    if (applied !== null && at.revision <= applied) return false;
    await write();
    // `$max` is the conditional write "only if the recorded revision is older", as one upsert.
    await this.revisions.updateOne({ _id: at.stream }, { $max: { revision: at.revision } }, { upsert: true });
    return true;
  }
}
