import type { MemberRole, RoomAccess } from '@chat/contracts';
import { openSqliteFile, prepareStatements, type Statements } from '@chat/event-sourcing/sqlite';
import type Database from 'better-sqlite3';
import { newestPerRoom } from './newest-per-room';
import type { ReadOffset, RoomAccessStore, UserRoom } from './port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS generation (id TEXT NOT NULL);
  -- Each room's newest record, as published. A rowid table: the record of a large room is a
  -- large row, which WITHOUT ROWID tables handle badly.
  CREATE TABLE IF NOT EXISTS rooms (room_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, record TEXT NOT NULL);
  -- The memberships of the rooms not deleted, keyed by user first: roomsOf reads one range of the
  -- key. A deleted room keeps its members in its record, not here.
  CREATE TABLE IF NOT EXISTS members (
    user_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    role TEXT NOT NULL,
    joined_after_seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, room_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS members_by_room ON members (room_id);
  CREATE TABLE IF NOT EXISTS read_offsets (partition INTEGER PRIMARY KEY, next_offset INTEGER NOT NULL);
`;

const SQL = {
  createGeneration: 'INSERT INTO generation (id) SELECT @id WHERE NOT EXISTS (SELECT 1 FROM generation)',
  generation: 'SELECT id FROM generation',
  replaceRoom: `
    INSERT INTO rooms (room_id, revision, record) VALUES (@room_id, @revision, @record)
    ON CONFLICT (room_id) DO UPDATE SET revision = excluded.revision, record = excluded.record
    WHERE excluded.revision > rooms.revision`,
  room: 'SELECT record FROM rooms WHERE room_id = @room_id',
  membersOfRoom: 'SELECT user_id, role, joined_after_seq FROM members WHERE room_id = @room_id',
  putMember: `
    INSERT INTO members (user_id, room_id, role, joined_after_seq)
    VALUES (@user_id, @room_id, @role, @joined_after_seq)
    ON CONFLICT (user_id, room_id) DO UPDATE SET role = excluded.role, joined_after_seq = excluded.joined_after_seq`,
  removeMember: 'DELETE FROM members WHERE user_id = @user_id AND room_id = @room_id',
  roomsOf: 'SELECT room_id, role, joined_after_seq FROM members WHERE user_id = @user_id ORDER BY room_id',
  advance: `
    INSERT INTO read_offsets (partition, next_offset) VALUES (@partition, @next_offset)
    ON CONFLICT (partition) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)`,
  readOffsets: 'SELECT partition, next_offset AS nextOffset FROM read_offsets ORDER BY partition',
} as const;

interface MemberRow {
  user_id: string;
  role: MemberRole;
  joined_after_seq: number;
}

/** The room access store in one SQLite file, or in memory (`':memory:'`, a new generation each open). */
export class SqliteRoomAccessStore implements RoomAccessStore {
  private readonly statements: Statements<typeof SQL>;
  private readonly generationId: string;
  private readonly saveAtomically: (records: RoomAccess[], read: ReadOffset[]) => void;

  private constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.statements = prepareStatements(db, SQL);
    this.statements.createGeneration.run({ id: crypto.randomUUID() });
    this.generationId = (this.statements.generation.get() as { id: string }).id;
    this.saveAtomically = db.transaction((records: RoomAccess[], read: ReadOffset[]) => {
      for (const access of newestPerRoom(records)) {
        const { room_id, revision } = access;
        const replaced = this.statements.replaceRoom.run({
          room_id,
          revision,
          record: JSON.stringify(access),
        });
        if (replaced.changes > 0) this.indexMembers(access);
      }
      for (const { partition, nextOffset } of read) {
        this.statements.advance.run({ partition, next_offset: nextOffset });
      }
    });
  }

  static open(path: string): SqliteRoomAccessStore {
    return new SqliteRoomAccessStore(openSqliteFile(path));
  }

  async generation(): Promise<string> {
    return this.generationId;
  }

  async save(records: RoomAccess[], read: ReadOffset[]): Promise<void> {
    this.saveAtomically(records, read);
  }

  async get(roomId: string): Promise<RoomAccess | null> {
    const row = this.statements.room.get({ room_id: roomId }) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as RoomAccess) : null;
  }

  async roomsOf(userId: string): Promise<UserRoom[]> {
    return this.statements.roomsOf.all({ user_id: userId }) as UserRoom[];
  }

  async readOffsets(): Promise<ReadOffset[]> {
    return this.statements.readOffsets.all() as ReadOffset[];
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * Makes the members table hold the record's members (none for a deleted room), writing only
   * the rows that changed: a room of thousands is republished whole at each join.
   */
  private indexMembers(access: RoomAccess): void {
    const { room_id } = access;
    const rows = this.statements.membersOfRoom.all({ room_id }) as MemberRow[];
    const stale = new Map(rows.map((row) => [row.user_id, row]));
    for (const { user_id, role, joined_after_seq } of access.deleted ? [] : access.members) {
      const indexed = stale.get(user_id);
      stale.delete(user_id);
      if (indexed?.role === role && indexed.joined_after_seq === joined_after_seq) continue;
      this.statements.putMember.run({ user_id, room_id, role, joined_after_seq });
    }
    for (const user_id of stale.keys()) this.statements.removeMember.run({ user_id, room_id });
  }
}
