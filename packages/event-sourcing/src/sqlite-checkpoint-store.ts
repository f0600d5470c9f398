import { comparePositions } from '@chat/eventstore';
import type Database from 'better-sqlite3';
import type { CheckpointStore } from './checkpoint-store';
import { openSqliteFile, prepareStatements } from '@chat/sqlite';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS checkpoint_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

const SQL = {
  load: 'SELECT position FROM checkpoints WHERE name = ?',
  store: `INSERT INTO checkpoints (name, position) VALUES (@name, @position)
          ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
  acquire: `INSERT INTO checkpoint_leases (name, owner, expires_at) VALUES (@name, @owner, @expiresAt)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE checkpoint_leases.owner IN (excluded.owner, @replacing) OR checkpoint_leases.expires_at <= @now`,
  holder: 'SELECT owner FROM checkpoint_leases WHERE name = ?',
  release: 'DELETE FROM checkpoint_leases WHERE name = @name AND owner = @owner',
} as const;

/** Checkpoints and their leases in a SQLite file; a save is one transaction (check, then write). */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly saveIfLeased;

  private constructor(path: string) {
    this.db = openSqliteFile(path);
    this.db.exec(SCHEMA);
    this.statements = prepareStatements(this.db, SQL);
    this.saveIfLeased = this.db.transaction((name: string, position: string, owner: string): boolean => {
      if (this.statements.holder.pluck().get(name) !== owner) return false;
      const current = this.statements.load.pluck().get(name) as string | undefined;
      if (current === undefined || comparePositions(position, current) >= 0)
        this.statements.store.run({ name, position });
      return true;
    });
  }

  static open(path: string): SqliteCheckpointStore {
    return new SqliteCheckpointStore(path);
  }

  async acquire(name: string, owner: string, ttlMs: number, replacing = owner): Promise<boolean> {
    const now = Date.now();
    return this.statements.acquire.run({ name, owner, replacing, now, expiresAt: now + ttlMs }).changes === 1;
  }

  async holder(name: string): Promise<string | undefined> {
    return this.statements.holder.pluck().get(name) as string | undefined;
  }

  async release(name: string, owner: string): Promise<void> {
    this.statements.release.run({ name, owner });
  }

  async load(name: string): Promise<string | undefined> {
    return this.statements.load.pluck().get(name) as string | undefined;
  }

  async save(name: string, position: string, owner: string): Promise<boolean> {
    return this.saveIfLeased.immediate(name, position, owner);
  }

  close(): void {
    this.db.close();
  }
}
