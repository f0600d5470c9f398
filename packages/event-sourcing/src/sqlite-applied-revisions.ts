import type Database from 'better-sqlite3';
import type { StreamRevision } from './stream-revision';

/**
 * The revision a read model last applied of each stream, in a table of its SQLite file, so that
 * a redelivered event is applied once: `applyOnce` writes the changes and the revision in one
 * transaction, or nothing if that revision (or a later one) was applied already.
 */
export class SqliteAppliedRevisions {
  private readonly select: Database.Statement<[{ stream: string }], { revision: number }>;
  private readonly save: Database.Statement<[StreamRevision]>;
  private readonly applyAtomically: (at: StreamRevision, write: () => void) => boolean;

  /** Uses (and creates if missing) `table`, of columns `stream` and `revision`. */
  constructor(db: Database.Database, table: string) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`Not a table name: ${table}`);
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (stream TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID`,
    );
    this.select = db.prepare(`SELECT revision FROM ${table} WHERE stream = @stream`);
    this.save = db.prepare(`
      INSERT INTO ${table} (stream, revision) VALUES (@stream, @revision)
      ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision`);
    this.applyAtomically = db.transaction((at: StreamRevision, write: () => void) => {
      const applied = this.appliedRevision(at.stream);
      if (applied !== null && at.revision <= applied) return false;
      write();
      this.save.run({ stream: at.stream, revision: at.revision });
      return true;
    });
  }

  /** The last revision of `stream` applied, or `null` if none was. */
  appliedRevision(stream: string): number | null {
    return this.select.get({ stream })?.revision ?? null;
  }

  /** Runs `write` and records `at`, atomically, unless `at` was applied already; true if it ran. */
  applyOnce(at: StreamRevision, write: () => void): boolean {
    return this.applyAtomically(at, write);
  }
}
