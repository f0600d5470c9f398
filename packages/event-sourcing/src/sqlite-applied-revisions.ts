import { TurnTransactions } from '@chat/sqlite';
import type Database from 'better-sqlite3';
import { freshEntries, newestRevisions, type AtRevision, type StreamRevision } from './stream-revision';

/**
 * The revision a read model last applied of each stream, in a table of its SQLite file, so that
 * a redelivered event is applied once: `applyEach` writes a batch's changes and the streams'
 * revisions in one transaction, skipping what was applied already.
 */
export class SqliteAppliedRevisions {
  private readonly select: Database.Statement<[{ stream: string }], { revision: number }>;
  private readonly save: Database.Statement<[StreamRevision]>;
  private readonly transactions: TurnTransactions;

  /** Uses (and creates if missing) `table`, of columns `stream` and `revision`. */
  constructor(db: Database.Database, table: string) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`Not a table name: ${table}`);
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (stream TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID`,
    );
    this.select = db.prepare(`SELECT revision FROM ${table} WHERE stream = @stream`);
    this.save = db.prepare(`
      INSERT INTO ${table} (stream, revision) VALUES (@stream, @revision)
      ON CONFLICT (stream) DO UPDATE SET revision = MAX(revision, excluded.revision)`);
    this.transactions = new TurnTransactions(db);
  }

  /** The last revision of `stream` applied, or `null` if none was. */
  appliedRevision(stream: string): number | null {
    return this.select.get({ stream })?.revision ?? null;
  }

  /**
   * Runs `write` for each entry not applied before, in order, and records the streams' newest
   * revisions, atomically — in the transaction of this turn of the event loop, shared with the
   * other batches applied to the same file meanwhile; resolves, per entry, with whether it was
   * applied.
   */
  applyEach<T extends AtRevision>(entries: T[], write: (entry: T) => void): Promise<boolean[]> {
    return this.transactions.run(() => {
      const fresh = freshEntries(entries, (stream) => this.appliedRevision(stream));
      const applied = entries.filter((_, index) => fresh[index]);
      for (const entry of applied) write(entry);
      for (const revision of newestRevisions(applied)) this.save.run(revision);
      return fresh;
    });
  }
}
