import type Database from 'better-sqlite3';
import type { CheckpointStore } from './checkpoint-store';
import { openSqliteFile } from './sqlite-file';

export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], { position: string }>;
  private readonly upsert: Database.Statement<[string, string]>;

  private constructor(path: string) {
    this.db = openSqliteFile(path);
    this.db.exec('CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL)');
    this.select = this.db.prepare('SELECT position FROM checkpoints WHERE name = ?');
    this.upsert = this.db.prepare(
      'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position',
    );
  }

  static open(path: string): SqliteCheckpointStore {
    return new SqliteCheckpointStore(path);
  }

  async load(name: string): Promise<string | undefined> {
    return this.select.get(name)?.position;
  }

  async save(name: string, position: string): Promise<void> {
    this.upsert.run(name, position);
  }

  close(): void {
    this.db.close();
  }
}
