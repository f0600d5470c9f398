import { openSqliteFile, TurnTransactions } from '@chat/sqlite';
import type Database from 'better-sqlite3';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamAppendResult,
  type SubscribeOptions,
  type Subscription,
} from '../port';

interface EventRow {
  position: number;
  stream_name: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

const PAGE = 500;
/** How often an idle subscription looks for appends made by another process on the same file. */
const POLL_MS = 50;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_name TEXT NOT NULL,
  revision INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (stream_name, revision)
);
CREATE INDEX IF NOT EXISTS events_by_id ON events (stream_name, event_id);
`;

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  streamName: row.stream_name,
  revision: row.revision,
  position: String(row.position),
  data: JSON.parse(row.data),
  metadata: JSON.parse(row.metadata),
  recordedAt: new Date(row.recorded_at),
});

/** The least string above every string that starts with `prefix`. */
const nextString = (prefix: string): string =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

const matches = (expected: ExpectedRevision, current: number | null): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === null;
  if (expected === 'stream_exists') return current !== null;
  return expected === current;
};

/**
 * The embedded event store: one SQLite file (WAL). Each append is one transaction that checks
 * the expected revision; the global position is the row id. Subscriptions are woken by appends
 * through this instance and poll for appends by other processes.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly transactions: TurnTransactions;
  private readonly waiters = new Set<() => void>();
  private readonly statements;

  private constructor(path: string) {
    this.db = openSqliteFile(path);
    this.transactions = new TurnTransactions(this.db);
    this.db.exec(SCHEMA);
    this.statements = {
      head: this.db.prepare<[string], { revision: number | null }>(
        'SELECT MAX(revision) AS revision FROM events WHERE stream_name = ?',
      ),
      byId: this.db.prepare<[string, string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_name = ? AND event_id = ?',
      ),
      range: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      rangeBackwards: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_name = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
      ),
      insert: this.db.prepare(
        'INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      after: this.db.prepare<[number, number], EventRow>(
        'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?',
      ),
      positionOf: this.db.prepare<[string, number], { position: number }>(
        'SELECT position FROM events WHERE stream_name = ? AND revision = ?',
      ),
      last: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
      // A range of stream names (the unique index's leading column) rather than LIKE, which SQLite
      // answers from the index only under conditions this schema does not meet.
      lastIn: this.db.prepare<[string, string], { position: number | null }>(
        'SELECT MAX(position) AS position FROM events WHERE stream_name >= ? AND stream_name < ?',
      ),
    };
  }

  static open(path: string): SqliteEventStore {
    return new SqliteEventStore(path);
  }

  /** In the transaction of this turn of the event loop, shared with every other append meanwhile. */
  async append(streamName: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      return await this.transactions.run(() => this.appendInTransaction(streamName, events, expected));
    } finally {
      this.wakeSubscriptions();
    }
  }

  /** Every stream in one transaction (this turn's, shared with every other append meanwhile). */
  async appendMany(appends: StreamAppend[]): Promise<StreamAppendResult[]> {
    const results = await this.transactions.run(() =>
      appends.map(({ streamName, events, expected }): StreamAppendResult => {
        try {
          return { ok: true, ...this.appendInTransaction(streamName, events, expected) };
        } catch (error) {
          if (error instanceof WrongExpectedRevisionError) return { ok: false, error };
          throw error;
        }
      }),
    );
    this.wakeSubscriptions();
    return results;
  }

  private wakeSubscriptions(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private appendInTransaction(
    streamName: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): AppendResult {
    const current = this.statements.head.get(streamName)?.revision ?? null;
    const repeated = this.alreadyAppended(streamName, events, expected, current);
    if (repeated) return repeated;
    if (!matches(expected, current)) throw new WrongExpectedRevisionError(streamName, expected, current);
    const recordedAt = new Date().toISOString();
    let revision = current ?? -1;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const info = this.statements.insert.run(
        streamName,
        revision,
        event.id,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      );
      position = Number(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position: String(position) };
  }

  /**
   * Idempotent append: the same events (by id) appended again at the same place return the first
   * result and write nothing. A partial overlap is a conflict.
   */
  private alreadyAppended(
    streamName: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    current: number | null,
  ): AppendResult | null {
    const first = events[0] && this.statements.byId.get(streamName, events[0].id);
    if (!first) return null;
    const placed = events.every(
      (event, index) => this.statements.byId.get(streamName, event.id)?.revision === first.revision + index,
    );
    const samePlace =
      expected === 'any' ||
      (expected === 'no_stream' && first.revision === 0) ||
      (expected === 'stream_exists' && first.revision > 0) ||
      expected === first.revision - 1;
    if (!placed || !samePlace) throw new WrongExpectedRevisionError(streamName, expected, current);
    const last = first.revision + events.length - 1;
    return {
      nextExpectedRevision: last,
      position: String(this.statements.positionOf.get(streamName, last)!.position),
    };
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let next = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    while (remaining > 0) {
      const limit = Math.min(PAGE, remaining);
      const rows = backwards
        ? this.statements.rangeBackwards.all(streamName, next, limit)
        : this.statements.range.all(streamName, next, limit);
      for (const row of rows) yield toRecorded(row);
      remaining -= rows.length;
      if (rows.length < limit) return;
      next = rows[rows.length - 1]!.revision + (backwards ? -1 : 1);
    }
  }

  async streamRevision(streamName: string): Promise<number | null> {
    return this.statements.head.get(streamName)?.revision ?? null;
  }

  async lastPosition(options: Pick<SubscribeOptions, 'streamPrefixes'> = {}): Promise<string | null> {
    const prefixes = options.streamPrefixes ?? [];
    const positions =
      prefixes.length === 0
        ? [this.statements.last.get()?.position]
        : prefixes.map((prefix) => this.statements.lastIn.get(prefix, nextString(prefix))?.position);
    const newest = Math.max(...positions.map((position) => position ?? 0));
    return newest > 0 ? String(newest) : null;
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    const prefixes = options.streamPrefixes ?? [];
    const wanted = (row: EventRow) =>
      prefixes.length === 0 || prefixes.some((p) => row.stream_name.startsWith(p));
    let position = options.after === undefined ? 0 : Number(options.after);
    let closed = false;
    let wake: (() => void) | null = null;
    const waiters = this.waiters;
    const statements = this.statements;

    const idle = () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, POLL_MS);
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          wake = null;
          resolve();
        }
        wake = done;
        waiters.add(done);
      });

    async function* follow(): AsyncGenerator<RecordedEvent> {
      while (!closed) {
        const rows = statements.after.all(position, PAGE);
        if (rows.length === 0) {
          await idle();
          continue;
        }
        for (const row of rows) {
          if (closed) return;
          position = row.position;
          if (wanted(row)) yield toRecorded(row);
        }
      }
    }

    const iterator = follow();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        closed = true;
        (wake as (() => void) | null)?.();
      },
    };
  }

  async close(): Promise<void> {
    for (const wake of [...this.waiters]) wake();
    this.db.close();
  }
}
