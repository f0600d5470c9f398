import { openSqliteFile, TurnTransactions } from '@chat/sqlite';
import type Database from 'better-sqlite3';
import { partitionFor } from '../partitioner';
import type { TopicSpec } from '../port';
import { RecentRecords, type LoggedRecord } from './recent-records';

/** A record to append, its headers final (trace context included). */
export interface RecordToAppend {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** A group's offset to commit, by the holder of the partition's lease. */
export interface OffsetCommit {
  at: GroupPartition;
  owner: string;
  nextOffset: number;
}

/** A record as stored; headers are JSON. */
interface StoredRecord {
  offset: number;
  key: string;
  value: string;
  headers: string;
  timestamp: number;
}

/** One partition as one consumer group reads it. */
export interface GroupPartition {
  groupId: string;
  topic: string;
  partition: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS topics (
  name TEXT PRIMARY KEY,
  partitions INTEGER NOT NULL,
  -- 1: keep the latest record of each key forever, instead of deleting records by age.
  compacted INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- The offset the next record appended to a partition gets. Kept apart from the records so that
-- retention may delete them all without offsets starting over.
CREATE TABLE IF NOT EXISTS partitions (
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (topic, partition)
) WITHOUT ROWID;

-- In append order (rowid), so an append writes at the end of the table whatever its partition,
-- and a small index finds a partition's range: clustering the records themselves by partition
-- made every commit rewrite one page per partition written to.
CREATE TABLE IF NOT EXISTS log (
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  headers TEXT NOT NULL,
  timestamp INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS log_by_offset ON log (topic, partition, offset);

-- Kafka's committed offset: the next offset the group reads in the partition.
CREATE TABLE IF NOT EXISTS group_offsets (
  group_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic, partition)
) WITHOUT ROWID;

-- Which bus instance consumes a group's partition, and until when unless it renews the lease:
-- processes sharing the file never consume one partition at the same time.
CREATE TABLE IF NOT EXISTS partition_leases (
  group_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic, partition)
) WITHOUT ROWID;
`;

const prepareStatements = (db: Database.Database) => ({
  partitionCount: db.prepare<[string], number>('SELECT partitions FROM topics WHERE name = ?').pluck(),
  upsertTopic: db.prepare<[string, number, number]>(
    `INSERT INTO topics (name, partitions, compacted) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET partitions = MAX(partitions, excluded.partitions),
       compacted = MAX(compacted, excluded.compacted)`,
  ),
  compactedTopics: db.prepare<[], string>('SELECT name FROM topics WHERE compacted = 1').pluck(),
  nextOffsets: db
    .prepare<[string], number>('SELECT next_offset FROM partitions WHERE topic = ? ORDER BY partition')
    .pluck(),
  keysOf: db.prepare<[string, number], { offset: number; key: string }>(
    'SELECT offset, key FROM log WHERE topic = ? AND partition = ? ORDER BY offset',
  ),
  deleteRecord: db.prepare<[string, number, number]>(
    'DELETE FROM log WHERE topic = ? AND partition = ? AND offset = ?',
  ),
  addPartition: db.prepare<[string, number]>(
    'INSERT OR IGNORE INTO partitions (topic, partition, next_offset) VALUES (?, ?, 0)',
  ),
  partitionsToTrim: db.prepare<[], { topic: string; partition: number; next_offset: number }>(
    `SELECT p.topic, p.partition, p.next_offset FROM partitions p
     JOIN topics t ON t.name = p.topic WHERE t.compacted = 0`,
  ),
  nextOffset: db
    .prepare<[string, number], number>('SELECT next_offset FROM partitions WHERE topic = ? AND partition = ?')
    .pluck(),
  setNextOffset: db.prepare<[number, string, number]>(
    'UPDATE partitions SET next_offset = ? WHERE topic = ? AND partition = ?',
  ),
  insertRecord: db.prepare<[string, number, number, string, string, string, number]>(
    `INSERT INTO log (topic, partition, offset, key, value, headers, timestamp)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  readFrom: db.prepare<[string, number, number, number], StoredRecord>(
    `SELECT offset, key, value, headers, timestamp FROM log
     WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?`,
  ),
  committedOffset: db
    .prepare<GroupPartition, number>(
      `SELECT next_offset FROM group_offsets
       WHERE group_id = @groupId AND topic = @topic AND partition = @partition`,
    )
    .pluck(),
  startAtEnd: db.prepare<{ groupId: string; topic: string }>(
    `INSERT OR IGNORE INTO group_offsets (group_id, topic, partition, next_offset)
     SELECT @groupId, topic, partition, next_offset FROM partitions WHERE topic = @topic`,
  ),
  // Fenced: only the lease holder may move a group's offset, so a process that lost its lease
  // (it stalled past the expiry and another took over) cannot overwrite the new owner's progress.
  commitIfLeased: db.prepare<GroupPartition & { owner: string; nextOffset: number }>(
    `INSERT INTO group_offsets (group_id, topic, partition, next_offset)
     SELECT @groupId, @topic, @partition, @nextOffset WHERE EXISTS (
       SELECT 1 FROM partition_leases
       WHERE group_id = @groupId AND topic = @topic AND partition = @partition AND owner = @owner)
     ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset`,
  ),
  acquireLease: db.prepare<GroupPartition & { owner: string; now: number; expiresAt: number }>(
    `INSERT INTO partition_leases (group_id, topic, partition, owner, expires_at)
     VALUES (@groupId, @topic, @partition, @owner, @expiresAt)
     ON CONFLICT (group_id, topic, partition) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
     WHERE partition_leases.owner = excluded.owner OR partition_leases.expires_at <= @now`,
  ),
  leaseOwner: db
    .prepare<GroupPartition, string>(
      'SELECT owner FROM partition_leases WHERE group_id = @groupId AND topic = @topic AND partition = @partition',
    )
    .pluck(),
  dropLeasesOf: db.prepare<[string]>('DELETE FROM partition_leases WHERE owner = ?'),
  renewLeases: db.prepare<[number, string]>('UPDATE partition_leases SET expires_at = ? WHERE owner = ?'),
  releaseLease: db.prepare<GroupPartition & { owner: string }>(
    `DELETE FROM partition_leases
     WHERE group_id = @groupId AND topic = @topic AND partition = @partition AND owner = @owner`,
  ),
  firstOffsetSince: db
    .prepare<[string, number, number], number>(
      `SELECT offset FROM log WHERE topic = ? AND partition = ? AND timestamp >= ?
       ORDER BY offset LIMIT 1`,
    )
    .pluck(),
  lowestCommittedOffset: db
    .prepare<[string, number], number | null>(
      'SELECT MIN(next_offset) FROM group_offsets WHERE topic = ? AND partition = ?',
    )
    .pluck(),
  deleteBelow: db.prepare<[string, number, number]>(
    'DELETE FROM log WHERE topic = ? AND partition = ? AND offset < ?',
  ),
  dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
});

/**
 * Kafka's log model in one SQLite file: topics of partitions, records with dense offsets from 0
 * per partition, committed offsets per consumer group, and partition leases. Every method is one
 * short transaction; WAL lets readers run while a writer appends.
 */
export class SqliteLog {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly transactions: TurnTransactions;
  private readonly recent = new RecentRecords();
  /** Partition counts only grow, and only through `ensureTopics` (here or in another process). */
  private readonly partitionCounts = new Map<string, number>();
  private lastDataVersion: number;

  private constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    SqliteLog.addColumnIfMissing(db, 'topics', 'compacted', 'INTEGER NOT NULL DEFAULT 0');
    SqliteLog.moveRecordsToLog(db);
    this.statements = prepareStatements(db);
    this.transactions = new TurnTransactions(db);
    this.lastDataVersion = this.statements.dataVersion.get()!;
  }

  /** Files written before a column existed get it, with its default. */
  private static addColumnIfMissing(db: Database.Database, table: string, column: string, type: string) {
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
    if (!columns.some(({ name }) => name === column))
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }

  /** Files written before the log table kept their records clustered by partition: moved over once. */
  private static moveRecordsToLog(db: Database.Database) {
    const old = db.prepare<[], number>(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'records'",
    );
    if (old.pluck().get() === 0) return;
    db.transaction(() => {
      db.exec(`INSERT INTO log (topic, partition, offset, key, value, headers, timestamp)
               SELECT topic, partition, offset, key, value, headers, timestamp FROM records
               ORDER BY topic, partition, offset`);
      db.exec('DROP TABLE records');
    })();
  }

  static open(path: string): SqliteLog {
    return new SqliteLog(openSqliteFile(path));
  }

  /** Creates missing topics and grows existing ones; a partition count never shrinks. */
  ensureTopics(topics: TopicSpec[]): void {
    this.db.transaction(() => {
      for (const { topic, partitions, compacted } of topics) {
        this.statements.upsertTopic.run(topic, partitions, compacted ? 1 : 0);
        for (let partition = 0; partition < partitions; partition++)
          this.statements.addPartition.run(topic, partition);
      }
    })();
    for (const { topic } of topics) this.partitionCounts.delete(topic);
  }

  partitionCount(topic: string): number {
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    const count = this.statements.partitionCount.get(topic);
    if (count === undefined) throw new Error(`Unknown topic "${topic}": create it with ensureTopics first`);
    this.partitionCounts.set(topic, count);
    return count;
  }

  /**
   * Appends, in the transaction of this turn of the event loop (every publish and commit of the
   * turn shares it, in call order); resolves with the partitions written to, once committed.
   */
  async append(topic: string, records: RecordToAppend[], timestamp: number): Promise<number[]> {
    const appended = await this.transactions.run(() => this.appendRecords(topic, records, timestamp));
    for (const { partition, records: logged } of appended) this.recent.appended(topic, partition, logged);
    return appended.map(({ partition }) => partition);
  }

  /** Resolves once every append and commit asked so far has committed. */
  flushed(): Promise<void> {
    return this.transactions.flushed();
  }

  /** Per partition, the offset the next appended record gets. */
  endOffsets(topic: string): number[] {
    this.partitionCount(topic);
    return this.statements.nextOffsets.all(topic);
  }

  /** Records from `fromOffset` on: from the tail this process appended when it holds them, else the file. */
  read(topic: string, partition: number, fromOffset: number, limit: number): LoggedRecord[] {
    return (
      this.recent.read(topic, partition, fromOffset, limit) ??
      this.statements.readFrom
        .all(topic, partition, fromOffset, limit)
        .map((stored) => ({ ...stored, headers: JSON.parse(stored.headers) as Record<string, string> }))
    );
  }

  committedOffset(at: GroupPartition): number | undefined {
    return this.statements.committedOffset.get(at);
  }

  /** Pins a group that has no committed offset yet to the current end of each partition. */
  startGroupAtEnd(groupId: string, topics: string[]): void {
    this.db.transaction(() => {
      for (const topic of topics) this.statements.startAtEnd.run({ groupId, topic });
    })();
  }

  /**
   * Commits the offset if its owner holds the partition's lease (false if it has lost it), in the
   * transaction of this turn of the event loop.
   */
  commitIfLeased({ at, owner, nextOffset }: OffsetCommit): Promise<boolean> {
    return this.transactions.run(
      () => this.statements.commitIfLeased.run({ ...at, owner, nextOffset }).changes === 1,
    );
  }

  /** Takes the lease if it is free, expired or already `owner`'s. */
  acquireLease(at: GroupPartition, owner: string, now: number, expiresAt: number): boolean {
    return this.statements.acquireLease.run({ ...at, owner, now, expiresAt }).changes === 1;
  }

  leaseOwner(at: GroupPartition): string | undefined {
    return this.statements.leaseOwner.get(at);
  }

  dropLeasesOf(owner: string): void {
    this.statements.dropLeasesOf.run(owner);
  }

  renewLeases(owner: string, expiresAt: number): void {
    this.statements.renewLeases.run(expiresAt, owner);
  }

  releaseLease(at: GroupPartition, owner: string): void {
    this.statements.releaseLease.run({ ...at, owner });
  }

  /**
   * Deletes, per partition, the records older than `cutoff` that every consumer group has already
   * consumed. Offsets are appended in time order, so the old records are a prefix of the partition.
   * Compacted topics keep, instead, the latest record of every key.
   */
  trim(cutoff: number): void {
    for (const { topic, partition, next_offset } of this.statements.partitionsToTrim.all()) {
      const firstRecent = this.statements.firstOffsetSince.get(topic, partition, cutoff) ?? next_offset;
      const lowestCommitted = this.statements.lowestCommittedOffset.get(topic, partition) ?? next_offset;
      this.statements.deleteBelow.run(topic, partition, Math.min(firstRecent, lowestCommitted));
    }
    for (const topic of this.statements.compactedTopics.all()) {
      for (let partition = 0; partition < this.partitionCount(topic); partition++)
        this.compact(topic, partition);
    }
  }

  /** Deletes every record of the partition that a later record with the same key supersedes. */
  private compact(topic: string, partition: number): void {
    const latest = new Map<string, number>();
    const superseded: number[] = [];
    for (const { offset, key } of this.statements.keysOf.all(topic, partition)) {
      const previous = latest.get(key);
      if (previous !== undefined) superseded.push(previous);
      latest.set(key, offset);
    }
    this.db.transaction(() => {
      for (const offset of superseded) this.statements.deleteRecord.run(topic, partition, offset);
    })();
  }

  /**
   * Whether another connection (another process or bus instance) committed since the last call.
   * Its appends are not in this process's tails, which start again from the file.
   */
  changedElsewhere(): boolean {
    const version = this.statements.dataVersion.get()!;
    const changed = version !== this.lastDataVersion;
    this.lastDataVersion = version;
    if (changed) {
      this.recent.clear();
      this.partitionCounts.clear();
    }
    return changed;
  }

  close(): void {
    this.db.close();
  }

  private appendRecords(topic: string, records: RecordToAppend[], timestamp: number) {
    const partitions = this.partitionCount(topic);
    const appended = new Map<number, LoggedRecord[]>();
    for (const { key, value, headers } of records) {
      const partition = partitionFor(key, partitions);
      const list = appended.get(partition) ?? [];
      const offset =
        list.length > 0
          ? list[list.length - 1]!.offset + 1
          : this.statements.nextOffset.get(topic, partition)!;
      this.statements.insertRecord.run(
        topic,
        partition,
        offset,
        key,
        value,
        JSON.stringify(headers),
        timestamp,
      );
      list.push({ offset, key, value, headers, timestamp });
      appended.set(partition, list);
    }
    for (const [partition, list] of appended) {
      this.statements.setNextOffset.run(list[list.length - 1]!.offset + 1, topic, partition);
    }
    return [...appended].map(([partition, logged]) => ({ partition, records: logged }));
  }
}
