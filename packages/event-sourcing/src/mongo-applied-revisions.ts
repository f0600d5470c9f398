import type { Collection, Db } from 'mongodb';
import { bulkWriteInChunks } from './mongo-writes';
import { freshEntries, newestRevisions, type AtRevision } from './stream-revision';

interface StreamRevisionDoc {
  /** The stream. */
  _id: string;
  revision: number;
}

/**
 * The revision a read model last applied of each stream, one document per stream, on MongoDB
 * (or FerretDB, which has no multi-document transactions). `applyEach` is therefore not atomic
 * but crash-safe by ordering, for writes that can be repeated without effect: it runs a batch's
 * writes first and records the revisions last, so a batch interrupted by a crash is applied again
 * when it is redelivered, and what was already recorded is skipped.
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

  /**
   * Hands `write` the entries not applied before (one read for all their streams), then records
   * the streams' newest revisions in one bulk write; returns, per entry, whether it was applied.
   */
  async applyEach<T extends AtRevision>(
    entries: T[],
    write: (fresh: T[]) => Promise<void>,
  ): Promise<boolean[]> {
    const streams = [...new Set(entries.map(({ at }) => at.stream))];
    const known = new Map(
      (await this.revisions.find({ _id: { $in: streams } }).toArray()).map((doc) => [doc._id, doc.revision]),
    );
    const fresh = freshEntries(entries, (stream) => known.get(stream) ?? null);
    const applied = entries.filter((_, index) => fresh[index]);
    if (applied.length === 0) return fresh;
    await write(applied);
    // `$max` is the conditional write "only if the recorded revision is older", as one upsert.
    await bulkWriteInChunks(
      this.revisions,
      newestRevisions(applied).map(({ stream, revision }) => ({
        updateOne: { filter: { _id: stream }, update: { $max: { revision } }, upsert: true },
      })),
      { ordered: false },
    );
    return fresh;
  }
}
