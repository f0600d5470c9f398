import {
  openSqliteFile,
  prepareStatements,
  SqliteAppliedRevisions,
  type Statements,
} from '@chat/event-sourcing/sqlite';
import type Database from 'better-sqlite3';
import type { MediaReadModel, MediaReadModelUpdate } from './port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS uploads (
    file_id TEXT PRIMARY KEY,
    uploader_id TEXT NOT NULL,
    requested_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS uploads_by_uploader ON uploads (uploader_id, requested_at);
`;

const SQL = {
  countUploadsSince:
    'SELECT count(*) AS count FROM uploads WHERE uploader_id = @uploader_id AND requested_at >= @since',
  addUpload: `
    INSERT OR IGNORE INTO uploads (file_id, uploader_id, requested_at)
    VALUES (@file_id, @uploader_id, @requested_at)`,
} as const;

/** The embedded media read model: one SQLite file, written by the uploads projection. */
export class SqliteMediaReadModel implements MediaReadModel {
  private readonly statements: Statements<typeof SQL>;
  private readonly revisions: SqliteAppliedRevisions;

  private constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.revisions = new SqliteAppliedRevisions(db, 'applied_revisions');
    this.statements = prepareStatements(db, SQL);
  }

  static open(path: string): SqliteMediaReadModel {
    return new SqliteMediaReadModel(openSqliteFile(path));
  }

  async applyBatch(updates: MediaReadModelUpdate[]): Promise<boolean[]> {
    return this.revisions.applyEach(updates, ({ changes }) => {
      for (const { file_id, uploader_id, requested_at } of changes) {
        this.statements.addUpload.run({ file_id, uploader_id, requested_at });
      }
    });
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async countUploadsSince(uploaderId: string, since: Date): Promise<number> {
    const row = this.statements.countUploadsSince.get({
      uploader_id: uploaderId,
      since: since.toISOString(),
    });
    return (row as { count: number }).count;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
