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
    requested_at TEXT NOT NULL,
    room_id TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS uploads_by_uploader ON uploads (uploader_id, requested_at);
  CREATE TABLE IF NOT EXISTS erased_users (user_id TEXT PRIMARY KEY) WITHOUT ROWID;
`;

const SQL = {
  countUploadsSince:
    'SELECT count(*) AS count FROM uploads WHERE uploader_id = @uploader_id AND requested_at >= @since',
  addUpload: `
    INSERT OR IGNORE INTO uploads (file_id, room_id, uploader_id, requested_at)
    SELECT @file_id, @room_id, @uploader_id, @requested_at
    WHERE NOT EXISTS (SELECT 1 FROM erased_users WHERE user_id = @uploader_id)`,
  uploadsBy: 'SELECT file_id FROM uploads WHERE uploader_id = @uploader_id ORDER BY requested_at',
  uploadsInRoomBefore: `
    SELECT file_id FROM uploads WHERE room_id = @room_id AND requested_at < @before
    ORDER BY requested_at LIMIT @limit`,
  dropUpload: 'DELETE FROM uploads WHERE file_id = @file_id',
  isErased: 'SELECT 1 FROM erased_users WHERE user_id = @user_id',
  markErased: 'INSERT OR IGNORE INTO erased_users (user_id) VALUES (@user_id)',
  dropUploadsBy: 'DELETE FROM uploads WHERE uploader_id = @user_id',
} as const;

/** The embedded media read model: one SQLite file, written by the uploads projection. */
export class SqliteMediaReadModel implements MediaReadModel {
  private readonly statements: Statements<typeof SQL>;
  private readonly revisions: SqliteAppliedRevisions;

  private constructor(private readonly db: Database.Database) {
    db.pragma('secure_delete = ON');
    db.exec(SCHEMA);
    // A file of an earlier release lacks the room column: its uploads never expire by room.
    const columns = (db.pragma('table_info(uploads)') as { name: string }[]).map((column) => column.name);
    if (!columns.includes('room_id')) db.exec('ALTER TABLE uploads ADD COLUMN room_id TEXT');
    db.exec('CREATE INDEX IF NOT EXISTS uploads_by_room ON uploads (room_id, requested_at)');
    this.revisions = new SqliteAppliedRevisions(db, 'applied_revisions');
    this.statements = prepareStatements(db, SQL);
  }

  static open(path: string): SqliteMediaReadModel {
    return new SqliteMediaReadModel(openSqliteFile(path));
  }

  async applyBatch(updates: MediaReadModelUpdate[]): Promise<boolean[]> {
    return this.revisions.applyEach(updates, ({ changes }) => {
      for (const change of changes) {
        if (change.kind === 'user_erased') {
          this.statements.markErased.run({ user_id: change.user_id });
          this.statements.dropUploadsBy.run({ user_id: change.user_id });
        } else if (change.kind === 'uploads_expired') {
          for (const file_id of change.file_ids) this.statements.dropUpload.run({ file_id });
        } else {
          const { file_id, room_id, uploader_id, requested_at } = change;
          this.statements.addUpload.run({ file_id, room_id, uploader_id, requested_at });
        }
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

  async uploadsBy(uploaderId: string): Promise<string[]> {
    return (this.statements.uploadsBy.all({ uploader_id: uploaderId }) as { file_id: string }[]).map(
      (row) => row.file_id,
    );
  }

  async uploadsInRoomBefore(roomId: string, before: Date, limit: number): Promise<string[]> {
    const rows = this.statements.uploadsInRoomBefore.all({
      room_id: roomId,
      before: before.toISOString(),
      limit,
    });
    return (rows as { file_id: string }[]).map((row) => row.file_id);
  }

  async isErased(userId: string): Promise<boolean> {
    return this.statements.isErased.get({ user_id: userId }) !== undefined;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
