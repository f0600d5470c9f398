import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { partitionFor } from '../partitioner';
import type { Bus, Consumer, ConsumerOptions, IncomingRecord, OutgoingRecord, TopicSpec } from '../port';
import { inTraceContext, withTraceContext } from '../trace-context';
import { ConsumerGroups, type GroupMember } from './consumer-groups';

interface RecordRow {
  offset: number;
  key: string;
  value: string;
  headers: string;
  timestamp: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS partition_heads (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
  PRIMARY KEY (topic, partition)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
  key TEXT NOT NULL, value TEXT NOT NULL, headers TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_offsets (
  group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic, partition)) WITHOUT ROWID;
`;

const BATCH = 200;
/** Idle partitions look for records published by another process this often. */
const POLL_MS = 25;
const MAX_BACKOFF_MS = 1_000;

export interface EmbeddedBusOptions {
  /** Records older than this are deleted, whoever has read them (Kafka's time retention). */
  retentionMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The embedded bus: Kafka's model in one SQLite file — topics with partitions, records keyed
 * and partitioned by murmur2 like Kafka, dense offsets, consumer groups with committed offsets.
 * It persists, so `kill -9` loses nothing that was acknowledged. Consumer groups are balanced
 * among the consumers of this process; one process owns a bus file at a time.
 */
export class EmbeddedBus implements Bus {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly groups = new ConsumerGroups();
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly trimmer: NodeJS.Timeout;
  private closed = false;

  private constructor(path: string, options: EmbeddedBusOptions) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.statements = {
      topic: this.db.prepare<[string], { partitions: number }>('SELECT partitions FROM topics WHERE name = ?'),
      createTopic: this.db.prepare('INSERT OR IGNORE INTO topics (name, partitions) VALUES (?, ?)'),
      growTopic: this.db.prepare('UPDATE topics SET partitions = MAX(partitions, ?) WHERE name = ?'),
      head: this.db.prepare<[string, number], { next_offset: number }>(
        'SELECT next_offset FROM partition_heads WHERE topic = ? AND partition = ?',
      ),
      setHead: this.db.prepare(
        'INSERT INTO partition_heads (topic, partition, next_offset) VALUES (?, ?, ?) ' +
          'ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset',
      ),
      insert: this.db.prepare(
        'INSERT INTO records (topic, partition, offset, key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      read: this.db.prepare<[string, number, number, number], RecordRow>(
        'SELECT offset, key, value, headers, timestamp FROM records WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?',
      ),
      committed: this.db.prepare<[string, string, number], { next_offset: number }>(
        'SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?',
      ),
      commit: this.db.prepare(
        'INSERT INTO group_offsets (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset',
      ),
      trim: this.db.prepare('DELETE FROM records WHERE timestamp < ?'),
    };
    const retentionMs = options.retentionMs ?? 7 * 24 * 3600 * 1000;
    this.trimmer = setInterval(() => this.statements.trim.run(Date.now() - retentionMs), 60_000);
    this.trimmer.unref();
  }

  static open(path: string, options: EmbeddedBusOptions = {}): EmbeddedBus {
    return new EmbeddedBus(path, options);
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    this.db.transaction(() => {
      for (const { topic, partitions } of topics) {
        this.statements.createTopic.run(topic, partitions);
        this.statements.growTopic.run(partitions, topic);
      }
    })();
  }

  private partitionsOf(topic: string): number {
    const row = this.statements.topic.get(topic);
    if (!row) throw new Error(`Unknown topic "${topic}": create it with ensureTopics first`);
    return row.partitions;
  }

  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    const timestamp = Date.now();
    this.db
      .transaction(() => {
        const partitions = this.partitionsOf(topic);
        const heads = new Map<number, number>();
        for (const record of records) {
          const partition = partitionFor(record.key, partitions);
          const offset = heads.get(partition) ?? this.statements.head.get(topic, partition)?.next_offset ?? 0;
          const headers = JSON.stringify(withTraceContext(record.headers));
          this.statements.insert.run(topic, partition, offset, record.key, record.value, headers, timestamp);
          heads.set(partition, offset + 1);
        }
        for (const [partition, next] of heads) this.statements.setHead.run(topic, partition, next);
      })
      .immediate();
    for (const wake of [...(this.wakers.get(topic) ?? [])]) wake();
  }

  async consume(options: ConsumerOptions): Promise<Consumer> {
    const partitions = options.topics.flatMap((topic) =>
      Array.from({ length: this.partitionsOf(topic) }, (_, partition) => ({ topic, partition })),
    );
    const member: GroupMember = {
      groupId: options.groupId,
      assigned: new Set(),
      loops: new Map(),
      stopped: false,
    };
    const startLoop = (topic: string, partition: number) =>
      this.partitionLoop(member, options, topic, partition).catch(() => undefined);
    this.groups.join(member, partitions, startLoop);
    return {
      ready: Promise.resolve(),
      stop: async () => {
        member.stopped = true;
        this.groups.leave(member, startLoop);
        this.wakeAll(options.topics);
        await Promise.all(member.loops.values());
      },
    };
  }

  /** Consumes one partition for one group member while it stays assigned. */
  private async partitionLoop(member: GroupMember, options: ConsumerOptions, topic: string, partition: number) {
    const id = `${topic}/${partition}`;
    let next = this.startOffset(options, topic, partition);
    while (member.assigned.has(id) && !member.stopped && !this.closed) {
      const rows = this.statements.read.all(topic, partition, next, BATCH);
      if (rows.length === 0) {
        await this.idle(topic);
        continue;
      }
      for (const row of rows) {
        if (!member.assigned.has(id) || member.stopped || this.closed) return;
        await this.handleUntilDone(options, topic, partition, row, member, id);
        next = row.offset + 1;
        this.statements.commit.run(options.groupId, topic, partition, next);
      }
    }
  }

  private startOffset(options: ConsumerOptions, topic: string, partition: number): number {
    const committed = this.statements.committed.get(options.groupId, topic, partition)?.next_offset;
    if (committed !== undefined) return committed;
    const start = options.startFrom === 'latest' ? (this.statements.head.get(topic, partition)?.next_offset ?? 0) : 0;
    this.statements.commit.run(options.groupId, topic, partition, start);
    return start;
  }

  /** Delivers one record until its handler succeeds: a failing record is retried, never skipped. */
  private async handleUntilDone(
    options: ConsumerOptions,
    topic: string,
    partition: number,
    row: RecordRow,
    member: GroupMember,
    id: string,
  ) {
    const headers = JSON.parse(row.headers) as Record<string, string>;
    const record: IncomingRecord = {
      topic,
      partition,
      offset: String(row.offset),
      key: row.key,
      value: row.value,
      headers,
      timestamp: row.timestamp,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await inTraceContext(headers, () => options.handler(record));
        return;
      } catch {
        if (member.stopped || !member.assigned.has(id) || this.closed) throw new Error('stopped during retry');
        await sleep(Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempt));
      }
    }
  }

  private idle(topic: string): Promise<void> {
    return new Promise((resolve) => {
      const wakers = this.wakers.get(topic) ?? new Set<() => void>();
      this.wakers.set(topic, wakers);
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, POLL_MS);
      wakers.add(done);
    });
  }

  private wakeAll(topics: string[]) {
    for (const topic of topics) for (const wake of [...(this.wakers.get(topic) ?? [])]) wake();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all(this.groups.allMembers().map(async (member) => {
      member.stopped = true;
      await Promise.all(member.loops.values());
    }));
    this.closed = true;
    this.wakeAll([...this.wakers.keys()]);
    clearInterval(this.trimmer);
    this.db.close();
  }
}
