import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { partitionFor } from '../partitioner';
import type { TopicSpec } from '../port';

/** A record to append, its headers final (trace context included). */
export interface RecordToAppend {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Records for one topic, in the order they are appended. */
export interface TopicWrite {
  topic: string;
  records: RecordToAppend[];
}

/** The partitions of a topic that an append wrote to. */
export interface WrittenPartitions {
  topic: string;
  partitions: number[];
}

/** A record as stored; headers stay JSON until a consumer reads them. */
export interface StoredRecord {
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

-- Clustered by partition and offset: a consumer's batch is one contiguous range.
CREATE TABLE IF NOT EXISTS records (
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  headers TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  PRIMARY KEY (topic, partition, offset)
) WITHOUT ROWID;

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
    'SELECT offset, key FROM records WHERE topic = ? AND partition = ? ORDER BY offset',
  ),
  deleteRecord: db.prepare<[string, number, number]>(
    'DELETE FROM records WHERE topic = ? AND partition = ? AND offset = ?',
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
    `INSERT INTO records (topic, partition, offset, key, value, headers, timestamp)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  readFrom: db.prepare<[string, number, number, number], StoredRecord>(
    `SELECT offset, key, value, headers, timestamp FROM records
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
      `SELECT offset FROM records WHERE topic = ? AND partition = ? AND timestamp >= ?
       ORDER BY offset LIMIT 1`,
    )
    .pluck(),
  lowestCommittedOffset: db
    .prepare<[string, number], number | null>(
      'SELECT MIN(next_offset) FROM group_offsets WHERE topic = ? AND partition = ?',
    )
    .pluck(),
  deleteBelow: db.prepare<[string, number, number]>(
    'DELETE FROM records WHERE topic = ? AND partition = ? AND offset < ?',
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
  private readonly appendTransaction: Database.Transaction<
    (writes: TopicWrite[], timestamp: number) => WrittenPartitions[]
  >;
  private lastDataVersion: number;

  private constructor(private readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    // Commits survive a process crash; the last few may be lost to a power cut (no fsync per commit).
    db.pragma('synchronous = NORMAL');
    // Another process may hold the write lock for a moment: wait for it rather than fail.
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    SqliteLog.addColumnIfMissing(db, 'topics', 'compacted', 'INTEGER NOT NULL DEFAULT 0');
    this.statements = prepareStatements(db);
    this.appendTransaction = db.transaction((writes: TopicWrite[], timestamp: number) =>
      writes.map(({ topic, records }) => ({
        topic,
        partitions: this.appendRecords(topic, records, timestamp),
      })),
    );
    this.lastDataVersion = this.statements.dataVersion.get()!;
  }

  /** Files written before a column existed get it, with its default. */
  private static addColumnIfMissing(db: Database.Database, table: string, column: string, type: string) {
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
    if (!columns.some(({ name }) => name === column))
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }

  static open(path: string): SqliteLog {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return new SqliteLog(new Database(path));
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
  }

  partitionCount(topic: string): number {
    const count = this.statements.partitionCount.get(topic);
    if (count === undefined) throw new Error(`Unknown topic "${topic}": create it with ensureTopics first`);
    return count;
  }

  /**
   * Appends to any number of topics in one transaction; returns the partitions written to.
   * IMMEDIATE takes the write lock up front, so two processes appending at once queue on the busy
   * timeout instead of failing to upgrade a read lock.
   */
  append(writes: TopicWrite[], timestamp: number): WrittenPartitions[] {
    return this.appendTransaction.immediate(writes, timestamp);
  }

  /** Per partition, the offset the next appended record gets. */
  endOffsets(topic: string): number[] {
    this.partitionCount(topic);
    return this.statements.nextOffsets.all(topic);
  }

  read(topic: string, partition: number, fromOffset: number, limit: number): StoredRecord[] {
    return this.statements.readFrom.all(topic, partition, fromOffset, limit);
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

  /** Commits `nextOffset` if `owner` holds the partition's lease; false if it has lost it. */
  commitIfLeased(at: GroupPartition, owner: string, nextOffset: number): boolean {
    return this.statements.commitIfLeased.run({ ...at, owner, nextOffset }).changes === 1;
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

  /** Whether another connection (another process or bus instance) committed since the last call. */
  changedElsewhere(): boolean {
    const version = this.statements.dataVersion.get()!;
    const changed = version !== this.lastDataVersion;
    this.lastDataVersion = version;
    return changed;
  }

  close(): void {
    this.db.close();
  }

  private appendRecords(topic: string, records: RecordToAppend[], timestamp: number): number[] {
    const partitions = this.partitionCount(topic);
    const nextOffsets = new Map<number, number>();
    for (const { key, value, headers } of records) {
      const partition = partitionFor(key, partitions);
      const offset = nextOffsets.get(partition) ?? this.statements.nextOffset.get(topic, partition)!;
      this.statements.insertRecord.run(
        topic,
        partition,
        offset,
        key,
        value,
        JSON.stringify(headers),
        timestamp,
      );
      nextOffsets.set(partition, offset + 1);
    }
    for (const [partition, next] of nextOffsets) this.statements.setNextOffset.run(next, topic, partition);
    return [...nextOffsets.keys()];
  }
}
