import { describe, expect, it } from 'vitest';
import { RecentRecords, type LoggedRecord } from './recent-records';

const KIB = 1024;

/** Records at `offsets`, each with a value of `valueChars` characters. */
const records = (offsets: number[], valueChars = 10): LoggedRecord[] =>
  offsets.map((offset) => ({ offset, key: 'k', value: 'v'.repeat(valueChars), headers: {}, timestamp: 0 }));

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('the records kept in memory per partition', () => {
  it('serves what was just appended, and sends reads of what it no longer holds to the file', () => {
    const recent = new RecentRecords();
    recent.appended('t', 0, records(range(0, 3)));
    recent.appended('t', 0, records(range(3, 2)));
    expect(recent.read('t', 0, 1, 10)?.map((record) => record.offset)).toEqual([1, 2, 3, 4]);
    expect(recent.read('t', 0, 5, 10)).toEqual([]);
    expect(recent.read('t', 1, 0, 10)).toBeNull();
  });

  it('keeps at most 4,096 records, the newest', () => {
    const recent = new RecentRecords();
    recent.appended('t', 0, records(range(0, 5_000), 1));
    expect(recent.read('t', 0, 903, 1)).toBeNull();
    expect(recent.read('t', 0, 904, 1)?.[0]?.offset).toBe(904);
  });

  it('keeps no more than its size budget, however few the records: large ones go to the file', () => {
    const recent = new RecentRecords();
    // 300 records of 10 KiB: 3,000 KiB, six times the budget, yet far under the count.
    for (const offset of range(0, 300)) recent.appended('t', 0, records([offset], 10 * KIB));
    const oldestKept = 300 - Math.floor((512 * KIB) / (10 * KIB + 1));
    expect(recent.read('t', 0, oldestKept - 1, 1)).toBeNull();
    expect(recent.read('t', 0, oldestKept, 500)?.map((record) => record.offset)).toEqual(
      range(oldestKept, 300 - oldestKept),
    );
  });

  it('does not keep a record larger than the whole budget, and serves the next ones', () => {
    const recent = new RecentRecords();
    recent.appended('t', 0, records([0], 600 * KIB));
    expect(recent.read('t', 0, 0, 1)).toBeNull();
    expect(recent.read('t', 0, 1, 1)).toEqual([]);
    recent.appended('t', 0, records([1]));
    expect(recent.read('t', 0, 1, 1)?.[0]?.offset).toBe(1);
  });

  it('starts again at a record appended after a gap (another process wrote in between)', () => {
    const recent = new RecentRecords();
    recent.appended('t', 0, records(range(0, 3)));
    recent.appended('t', 0, records(range(7, 2)));
    expect(recent.read('t', 0, 2, 1)).toBeNull();
    expect(recent.read('t', 0, 7, 5)?.map((record) => record.offset)).toEqual([7, 8]);
  });
});
