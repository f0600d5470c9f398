import {
  openSqliteFile,
  prepareStatements,
  SqliteAppliedRevisions,
  type Statements,
} from '@chat/event-sourcing/sqlite';
import type Database from 'better-sqlite3';
import type { RoomAccess } from '../access/room-access';
import type { MediaReadModel, MediaReadModelChange, StreamRevision } from './port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rooms (
    room_id TEXT PRIMARY KEY,
    private INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS members (
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (room_id, user_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS uploads (
    file_id TEXT PRIMARY KEY,
    uploader_id TEXT NOT NULL,
    requested_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS uploads_by_uploader ON uploads (uploader_id, requested_at);
`;

const SQL = {
  roomAccess: `
    SELECT r.private AS private, m.user_id IS NOT NULL AS member FROM rooms r
    LEFT JOIN members m ON m.room_id = r.room_id AND m.user_id = @user_id
    WHERE r.room_id = @room_id AND r.deleted = 0`,
  countUploadsSince:
    'SELECT count(*) AS count FROM uploads WHERE uploader_id = @uploader_id AND requested_at >= @since',
  createRoom: `
    INSERT INTO rooms (room_id, private) VALUES (@room_id, @private)
    ON CONFLICT (room_id) DO UPDATE SET private = excluded.private`,
  updateRoom: 'UPDATE rooms SET private = @private WHERE room_id = @room_id',
  deleteRoom: 'UPDATE rooms SET deleted = 1 WHERE room_id = @room_id',
  addMember: 'INSERT OR IGNORE INTO members (room_id, user_id) VALUES (@room_id, @user_id)',
  removeMember: 'DELETE FROM members WHERE room_id = @room_id AND user_id = @user_id',
  addUpload: `
    INSERT OR IGNORE INTO uploads (file_id, uploader_id, requested_at)
    VALUES (@file_id, @uploader_id, @requested_at)`,
} as const;

/** The embedded media read model: one SQLite file, written by the projections. */
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

  async apply(at: StreamRevision, changes: MediaReadModelChange[]): Promise<boolean> {
    const [applied] = this.revisions.applyEach([{ at, changes }], () => {
      for (const change of changes) this.store(change);
    });
    return applied!;
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async roomAccess(roomId: string, userId: string): Promise<RoomAccess | null> {
    const row = this.statements.roomAccess.get({ room_id: roomId, user_id: userId }) as
      { private: 0 | 1; member: 0 | 1 } | undefined;
    return row ? { private: row.private === 1, member: row.member === 1 } : null;
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

  private store(change: MediaReadModelChange): void {
    switch (change.kind) {
      case 'room_created':
        this.statements.createRoom.run({ room_id: change.room_id, private: Number(change.private) });
        return;
      case 'room_updated':
        this.statements.updateRoom.run({ room_id: change.room_id, private: Number(change.private) });
        return;
      case 'room_deleted':
        this.statements.deleteRoom.run({ room_id: change.room_id });
        return;
      case 'member_added':
        this.statements.addMember.run({ room_id: change.room_id, user_id: change.user_id });
        return;
      case 'member_removed':
        this.statements.removeMember.run({ room_id: change.room_id, user_id: change.user_id });
        return;
      case 'upload_requested': {
        const { file_id, uploader_id, requested_at } = change;
        this.statements.addUpload.run({ file_id, uploader_id, requested_at });
        return;
      }
    }
  }
}
