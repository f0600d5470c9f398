import { describe, expect, it } from 'vitest';
import { Ledger, RoomCursor } from './ledger';
import { historyGaps, judgeWindow, p99DeliveryMs, secondsToNormal, type StoredMessage } from './verdict';

const RULE = { thresholdMs: 500, stableSeconds: 2 };
const ROOM = 'room-1';

/** Given a room of two members and these sends (id, intended ms, ack seq, delivered after ms). */
const ledgerOf = (
  sends: { id: string; at: number; seq?: number; firstRefused?: string; deliveredAfter?: number }[],
) => {
  const ledger = new Ledger();
  for (const { id, at, seq, firstRefused, deliveredAfter } of sends) {
    ledger.sent(id, ROOM, 0, at, 2);
    if (firstRefused) {
      ledger.attempt(id, at);
      ledger.answered(id, { kind: 'refused', code: firstRefused }, at + 10);
    }
    if (seq === undefined) continue;
    ledger.attempt(id, at);
    ledger.answered(id, { kind: 'ack', seq }, at + 20);
    if (deliveredAfter !== undefined) {
      ledger.delivered(id, 0, at + deliveredAfter);
      ledger.delivered(id, 1, at + deliveredAfter);
    }
  }
  return ledger;
};

const historyOf = (...entries: [number, string | null][]): Map<string, StoredMessage[]> =>
  new Map([[ROOM, entries.map(([seq, client_msg_id]) => ({ seq, client_msg_id }))]]);

describe('back to normal', () => {
  it('is the end of the last abnormal second, counted from the fault', () => {
    const ledger = ledgerOf([
      { id: 'a', at: 100, seq: 1, deliveredAfter: 3_000 }, // second 0: too slow
      { id: 'b', at: 1_100, firstRefused: 'timeout', seq: 2, deliveredAfter: 50 }, // second 1: refused first
      { id: 'c', at: 2_100, seq: 3, deliveredAfter: 50 }, // seconds 2 and 3: normal
      { id: 'd', at: 3_100, seq: 4, deliveredAfter: 80 },
    ]);
    expect(secondsToNormal([...ledger.messages.values()], 0, 4_000, RULE)).toBe(2);
  });

  it('is not reached when a second has no sends, or a member never got one, before the end', () => {
    const ledger = ledgerOf([
      { id: 'a', at: 100, seq: 1, deliveredAfter: 50 },
      { id: 'b', at: 2_100, seq: 2, deliveredAfter: 50 },
      { id: 'c', at: 3_100, seq: 3 },
    ]);
    expect(secondsToNormal([...ledger.messages.values()], 0, 4_000, RULE)).toBeNull();
  });

  it('is 0 when the fault never showed, and counts a late disruption', () => {
    const sends = [0, 1, 2, 3].map((second) => ({
      id: `s${second}`,
      at: second * 1_000 + 100,
      seq: second + 1,
      deliveredAfter: 50,
    }));
    expect(secondsToNormal([...ledgerOf(sends).messages.values()], 0, 4_000, RULE)).toBe(0);
    const late = ledgerOf([
      ...sends.slice(0, 2),
      { id: 'x', at: 2_100, seq: 3, deliveredAfter: 900 },
      ...sends.slice(3),
    ]);
    expect(secondsToNormal([...late.messages.values()], 0, 5_000, RULE)).toBeNull();
    late.sent('y', ROOM, 0, 4_100, 2);
    late.attempt('y', 4_100);
    late.answered('y', { kind: 'ack', seq: 5 }, 4_120);
    late.delivered('y', 0, 4_150);
    late.delivered('y', 1, 4_150);
    expect(secondsToNormal([...late.messages.values()], 0, 5_000, RULE)).toBe(3);
  });
});

describe('the baseline p99', () => {
  it('takes the sends meant in the span that every member got', () => {
    const ledger = ledgerOf([
      { id: 'a', at: 100, seq: 1, deliveredAfter: 40 },
      { id: 'b', at: 200, seq: 2, deliveredAfter: 90 },
      { id: 'c', at: 300, seq: 3 },
      { id: 'd', at: 1_100, seq: 4, deliveredAfter: 900 },
    ]);
    expect(p99DeliveryMs([...ledger.messages.values()], 0, 1_000)).toBe(90);
  });
});

describe('a window judged against the stored history', () => {
  const window = {
    fault: 'kill -9 message',
    from: 0,
    until: 10_000,
    faultAt: 0,
    repairedAt: 1_000,
    judgedUntil: 10_000,
  };

  it('finds nothing wrong when every acked message is stored once under its seq', () => {
    const ledger = ledgerOf([
      { id: 'a', at: 100, seq: 1, deliveredAfter: 50 },
      { id: 'b', at: 200, firstRefused: 'unavailable' },
    ]);
    const verdict = judgeWindow(ledger, historyOf([1, 'a']), window, RULE);
    expect(verdict).toMatchObject({
      sent: 2,
      acked: 1,
      never_acked: 1,
      first_attempt: { acked: 1, refused: { unavailable: 1 }, unanswered: 0 },
      lost: 0,
      duplicates: 0,
      undelivered: 0,
    });
  });

  it('counts an acked message missing from history, or under another id, as lost', () => {
    const ledger = ledgerOf([
      { id: 'a', at: 100, seq: 1, deliveredAfter: 50 },
      { id: 'b', at: 200, seq: 2, deliveredAfter: 50 },
    ]);
    const verdict = judgeWindow(ledger, historyOf([2, 'x']), window, RULE);
    expect(verdict.lost).toBe(2);
    expect(verdict.examples.lost).toEqual(['a', 'b']);
  });

  it('counts a message stored under two seqs, or acked with two, as a duplicate', () => {
    const ledger = ledgerOf([
      { id: 'a', at: 100, seq: 1, deliveredAfter: 50 },
      { id: 'b', at: 200, seq: 3, deliveredAfter: 50 },
    ]);
    ledger.answered('b', { kind: 'ack', seq: 4 }, 300);
    const verdict = judgeWindow(ledger, historyOf([1, 'a'], [2, 'a'], [3, 'b'], [4, 'b']), window, RULE);
    expect(verdict.duplicates).toBe(2);
  });

  it('counts the members an acked message never reached', () => {
    const ledger = ledgerOf([{ id: 'a', at: 100, seq: 1 }]);
    ledger.delivered('a', 1, 150);
    expect(judgeWindow(ledger, historyOf([1, 'a']), window, RULE).undelivered).toBe(1);
  });

  it('counts a send against the window its first attempt ended in', () => {
    const ledger = ledgerOf([{ id: 'a', at: 9_900 }]);
    ledger.attempt('a', 9_900);
    ledger.answered('a', { kind: 'unanswered', why: 'closed' }, 10_200);
    const next = { ...window, fault: 'kill -9 gateway', from: 10_000, until: 20_000, faultAt: 10_000 };
    expect(judgeWindow(ledger, historyOf(), window, RULE).sent).toBe(0);
    expect(judgeWindow(ledger, historyOf(), next, RULE).first_attempt.unanswered).toBe(1);
  });

  it('finds the gaps in a history', () => {
    expect(historyGaps(historyOf([1, 'a'], [2, 'b'], [5, 'c']))).toBe(2);
  });
});

describe("a member's cursor", () => {
  it('takes the next seq, drops a seq it has, and records one that skips or comes late', () => {
    const ledger = ledgerOf([
      { id: 'a', at: 0, seq: 4 },
      { id: 'b', at: 0, seq: 5 },
      { id: 'c', at: 0, seq: 6 },
      { id: 'd', at: 0, seq: 7 },
    ]);
    const cursor = new RoomCursor(ledger, 0, ROOM);
    cursor.startAt(3);
    expect(cursor.receive(4, 'a', 10)).toBe(true);
    expect(cursor.receive(4, 'a', 11)).toBe(false);
    expect(cursor.receive(6, 'c', 12)).toBe(true);
    expect(cursor.receive(5, 'b', 13)).toBe(true);
    expect(cursor.receive(7, 'd', 14)).toBe(true);
    expect(ledger.redelivered).toBe(1);
    expect(ledger.orderViolations.map(({ expected, got }) => [expected, got])).toEqual([
      [5, 6],
      [7, 5],
    ]);
    expect(cursor.last).toBe(7);
  });
});
