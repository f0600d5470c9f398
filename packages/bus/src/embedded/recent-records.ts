/** A record as consumers read it from the log. */
export interface LoggedRecord {
  offset: number;
  key: string;
  value: string;
  headers: Record<string, string>;
  timestamp: number;
}

interface Tail {
  /** The offset of `records[0]`; the records follow it without a gap. */
  first: number;
  records: LoggedRecord[];
}

/** Records kept per partition: a few seconds of traffic, what live consumers read. */
const CAPACITY = 4_096;

const keyOf = (topic: string, partition: number) => `${topic}\n${partition}`;

/**
 * The newest records this process appended to each partition, in memory. Every consumer group
 * reads a record just published, so serving the tail from memory saves each of them a query and
 * the parsing of its headers. A tail is always contiguous: when another process appended in
 * between (the file is shared), it starts again at this process's next record, and reads of the
 * offsets before it go to SQLite.
 */
export class RecentRecords {
  private readonly tails = new Map<string, Tail>();

  appended(topic: string, partition: number, records: LoggedRecord[]): void {
    if (records.length === 0) return;
    const key = keyOf(topic, partition);
    const tail = this.tails.get(key);
    if (!tail || tail.first + tail.records.length !== records[0]!.offset) {
      this.tails.set(key, { first: records[0]!.offset, records: records.slice(-CAPACITY) });
      return;
    }
    tail.records.push(...records);
    const excess = tail.records.length - CAPACITY;
    if (excess > 0) {
      tail.records.splice(0, excess);
      tail.first += excess;
    }
  }

  clear(): void {
    this.tails.clear();
  }

  /** Up to `limit` records from `from`, if the tail holds `from`; null if it must be read from the file. */
  read(topic: string, partition: number, from: number, limit: number): LoggedRecord[] | null {
    const tail = this.tails.get(keyOf(topic, partition));
    if (!tail || from < tail.first || from > tail.first + tail.records.length) return null;
    const start = from - tail.first;
    return tail.records.slice(start, start + limit);
  }
}
