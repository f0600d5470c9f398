import type { AuditTarget, ChainedAuditRecord } from '@chat/contracts';
import { openSqliteFile } from '@chat/event-sourcing/sqlite';
import type Database from 'better-sqlite3';
import type { AuditFilter, AuditReadModel } from '../application/port';

/** One column per field, so that what the API shows is exactly what `verify` hashes. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_records (
    seq INTEGER PRIMARY KEY,
    audit_id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    room_id TEXT,
    reason TEXT,
    correlation_id TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS audit_by_room ON audit_records (room_id, seq);
  CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_records (actor, seq);
  CREATE INDEX IF NOT EXISTS audit_by_action ON audit_records (action, seq);
  CREATE INDEX IF NOT EXISTS audit_by_target ON audit_records (target_id, seq);
`;

interface Row {
  seq: number;
  audit_id: string;
  at: string;
  actor: string;
  action: string;
  target_type: AuditTarget['type'];
  target_id: string;
  room_id: string | null;
  reason: string | null;
  correlation_id: string;
  prev_hash: string;
  hash: string;
}

const toRow = ({ target, room_id, reason, ...record }: ChainedAuditRecord): Row => ({
  ...record,
  target_type: target.type,
  target_id: target.id,
  room_id: room_id ?? null,
  reason: reason ?? null,
});

const toRecord = ({ target_type, target_id, room_id, reason, ...row }: Row): ChainedAuditRecord => ({
  ...row,
  target: { type: target_type, id: target_id },
  ...(room_id === null ? {} : { room_id }),
  ...(reason === null ? {} : { reason }),
});

/** The conditions of a filter, with their parameters. */
const whereOf = (filter: AuditFilter) => {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (condition: string, name: string, value: unknown) => {
    if (value === undefined) return;
    conditions.push(condition);
    params[name] = value;
  };
  add(
    'room_id IN (SELECT value FROM json_each(@room_ids))',
    'room_ids',
    filter.roomIds && JSON.stringify(filter.roomIds),
  );
  add('actor = @actor', 'actor', filter.actor);
  add(
    "(actor = @concerning OR (target_type = 'user' AND target_id = @concerning))",
    'concerning',
    filter.concerning,
  );
  add('action = @action', 'action', filter.action);
  add('at >= @since', 'since', filter.since);
  add('at < @until', 'until', filter.until);
  add('seq < @before_seq', 'before_seq', filter.beforeSeq);
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
};

/** The embedded audit read model: one SQLite file of the chain's records. */
export class SqliteAuditReadModel implements AuditReadModel {
  private readonly insert: Database.Statement;
  private readonly selectLastSeq: Database.Statement;
  private readonly selectChain: Database.Statement;
  private readonly selectExisting: Database.Statement;
  /** A statement per shape of query (which filters are set): a handful at most. */
  private readonly queries = new Map<string, Database.Statement>();

  private constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.insert = db.prepare(`
      INSERT INTO audit_records (seq, audit_id, at, actor, action, target_type, target_id, room_id, reason,
        correlation_id, prev_hash, hash)
      VALUES (@seq, @audit_id, @at, @actor, @action, @target_type, @target_id, @room_id, @reason,
        @correlation_id, @prev_hash, @hash)
      ON CONFLICT DO NOTHING`);
    this.selectLastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_records');
    this.selectExisting = db.prepare(
      'SELECT audit_id FROM audit_records WHERE audit_id IN (SELECT value FROM json_each(?))',
    );
    this.selectChain = db.prepare(
      'SELECT * FROM audit_records WHERE seq >= @from_seq ORDER BY seq LIMIT @limit',
    );
  }

  static open(path: string): SqliteAuditReadModel {
    return new SqliteAuditReadModel(openSqliteFile(path));
  }

  async store(records: readonly ChainedAuditRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const record of records) this.insert.run(toRow(record));
    })();
  }

  async lastSeq(): Promise<number> {
    return (this.selectLastSeq.get() as { seq: number }).seq;
  }

  async existing(auditIds: readonly string[]): Promise<Set<string>> {
    const rows = this.selectExisting.all(JSON.stringify(auditIds)) as { audit_id: string }[];
    return new Set(rows.map((row) => row.audit_id));
  }

  async query(filter: AuditFilter, limit: number): Promise<ChainedAuditRecord[]> {
    const { where, params } = whereOf(filter);
    let statement = this.queries.get(where);
    if (!statement) {
      statement = this.db.prepare(`SELECT * FROM audit_records ${where} ORDER BY seq DESC LIMIT @limit`);
      this.queries.set(where, statement);
    }
    return (statement.all({ ...params, limit }) as Row[]).map(toRecord);
  }

  async chain(fromSeq: number, limit: number): Promise<ChainedAuditRecord[]> {
    return (this.selectChain.all({ from_seq: fromSeq, limit }) as Row[]).map(toRecord);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
