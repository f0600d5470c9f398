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
  /** The UTF-16 length of the records' keys and values: what they hold in memory, roughly halved. */
  size: number;
}

/** Records kept per partition: a few seconds of traffic, what live consumers read. */
const CAPACITY = 4_096;
/**
 * And no more than this much of them per partition: a compacted topic's records can be large (a
 * room's whole access state grows with its members), and a count alone let a busy public room's
 * tail reach hundreds of megabytes.
 */
const CAPACITY_CHARS = 512 * 1024;

const sizeOf = (records: readonly LoggedRecord[]) =>
  records.reduce((size, record) => size + record.key.length + record.value.length, 0);

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
      const kept = { first: records[0]!.offset, records: [...records], size: sizeOf(records) };
      this.tails.set(key, kept);
      return RecentRecords.trim(kept);
    }
    tail.records.push(...records);
    tail.size += sizeOf(records);
    RecentRecords.trim(tail);
  }

  /** Drops the oldest records past either capacity; a record larger than the whole budget is not kept. */
  private static trim(tail: Tail): void {
    let excess = Math.max(0, tail.records.length - CAPACITY);
    let size = tail.size - sizeOf(tail.records.slice(0, excess));
    while (size > CAPACITY_CHARS && excess < tail.records.length) {
      const oldest = tail.records[excess]!;
      size -= oldest.key.length + oldest.value.length;
      excess += 1;
    }
    if (excess === 0) return;
    tail.records.splice(0, excess);
    tail.first += excess;
    tail.size = size;
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
