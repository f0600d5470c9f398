import type { Ledger, SentMessage } from './ledger';

/** A room's stored history as the event store holds it, in seq order. */
export type StoredMessage = { seq: number; client_msg_id: string | null };

/**
 * A stretch of the run: the baseline before the first fault, then one per fault, from the moment
 * it was injected to the next one. A message belongs to the window its first attempt ended in (was
 * answered, or given up as unanswered; its intended time if it was never sent): a send cut off by
 * a fault counts against that fault even when it was meant just before it.
 */
export interface Window {
  fault: string;
  from: number;
  until: number;
  /** When the fault was injected (null: no fault), and repaired (process ready, server healthy). */
  faultAt: number | null;
  repairedAt: number;
  /** The end of the seconds judged for back to normal: complete before the next fault began. */
  judgedUntil: number;
}

/**
 * "Back to normal": the seconds from the fault until the end of the last abnormal second, the
 * system normal from then on to the end of the fault's observation (at least `stableSeconds`). A
 * second is normal when it has sends and every send the schedule meant in it was acknowledged on
 * its first attempt and delivered to every member of its room, with the 99th percentile of send →
 * delivery to the last member at most `thresholdMs`.
 */
export interface NormalRule {
  thresholdMs: number;
  stableSeconds: number;
}

export interface WindowVerdict {
  fault: string;
  /** Fault → repaired (the restart's or the stop's length), seconds. */
  outage_s: number;
  sent: number;
  /** How the first attempt of each send ended. */
  first_attempt: { acked: number; refused: Record<string, number>; unanswered: number };
  /** Every attempt, resends included. */
  attempts: { total: number; refused: Record<string, number>; unanswered: Record<string, number> };
  /** Acknowledged in the end, after resends with the same client_msg_id. */
  acked: number;
  never_acked: number;
  /** Acknowledged, yet not in the room's history under the acknowledged seq. */
  lost: number;
  /** Stored under two seqs (in history or in two acks): a duplicate that dedupe by seq cannot remove. */
  duplicates: number;
  /** A member received a seq that was not the next one. */
  order_violations: number;
  /** (message, member) pairs: acknowledged, yet never delivered to that member. */
  undelivered: number;
  /** Seconds from the fault until back to normal (null: not within the window). */
  back_to_normal_s: number | null;
  /** The same, from the repair (0: normal again before the repair was done). */
  after_repair_s: number | null;
  /** The first lost and duplicated client_msg_ids, for the logs. */
  examples: { lost: string[]; duplicates: string[] };
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const fullyDelivered = (message: SentMessage) => message.deliveredTo.size >= message.members;

/** Send → delivery to the last member, when every member got it. */
export const deliveryMs = (message: SentMessage): number | null =>
  fullyDelivered(message) && message.lastDeliveryAt !== null
    ? message.lastDeliveryAt - message.intended
    : null;

/** The 99th percentile of send → delivery to the last member, over the sends meant in [from, until) that every member got. */
export const p99DeliveryMs = (messages: SentMessage[], from: number, until: number): number =>
  percentile(
    messages.flatMap((message) => {
      const latency = message.intended >= from && message.intended < until ? deliveryMs(message) : null;
      return latency === null ? [] : [latency];
    }),
    99,
  );

const normalSecond = (messages: SentMessage[], rule: NormalRule): boolean => {
  if (messages.length === 0) return false;
  const latencies: number[] = [];
  for (const message of messages) {
    const first = message.attempts[0]?.result;
    const latency = deliveryMs(message);
    if (first?.kind !== 'ack' || latency === null) return false;
    latencies.push(latency);
  }
  return percentile(latencies, 99) <= rule.thresholdMs;
};

/** Seconds from `from` until back to normal (see NormalRule), or null if not by `until`. */
export const secondsToNormal = (
  messages: SentMessage[],
  from: number,
  until: number,
  rule: NormalRule,
): number | null => {
  const seconds = Math.floor((until - from) / 1000);
  const buckets: SentMessage[][] = Array.from({ length: Math.max(0, seconds) }, () => []);
  for (const message of messages) {
    const second = Math.floor((message.intended - from) / 1000);
    if (second >= 0 && second < seconds) buckets[second]!.push(message);
  }
  const lastAbnormal = buckets.findLastIndex((bucket) => !normalSecond(bucket, rule));
  return seconds - (lastAbnormal + 1) >= rule.stableSeconds ? lastAbnormal + 1 : null;
};

const count = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Where each client_msg_id is stored, per room: more than one seq is a duplicate. */
const seqsById = (histories: Map<string, StoredMessage[]>) => {
  const seqs = new Map<string, number[]>();
  for (const history of histories.values()) {
    for (const { seq, client_msg_id } of history) {
      if (client_msg_id === null) continue;
      seqs.set(client_msg_id, [...(seqs.get(client_msg_id) ?? []), seq]);
    }
  }
  return seqs;
};

/** Seqs missing from a room's history (it must hold 1…newest, gap-free). */
export const historyGaps = (histories: Map<string, StoredMessage[]>): number => {
  let gaps = 0;
  for (const history of histories.values()) {
    const seqs = new Set(history.map(({ seq }) => seq));
    const newest = Math.max(0, ...seqs);
    for (let seq = 1; seq <= newest; seq++) if (!seqs.has(seq)) gaps++;
  }
  return gaps;
};

/** Judges one window from the ledger and the rooms' final histories. */
export const judgeWindow = (
  ledger: Ledger,
  histories: Map<string, StoredMessage[]>,
  window: Window,
  rule: NormalRule,
): WindowVerdict => {
  const { faultAt } = window;
  const messages = [...ledger.messages.values()];
  const inWindow = messages.filter((message) => {
    const ended = message.attempts[0]?.endedAt ?? message.intended;
    return ended >= window.from && ended < window.until;
  });
  const stored = seqsById(histories);
  const bySeq = new Map(
    [...histories].map(([roomId, history]) => [
      roomId,
      new Map(history.map((m) => [m.seq, m.client_msg_id])),
    ]),
  );
  const verdict: WindowVerdict = {
    fault: window.fault,
    outage_s: faultAt === null ? 0 : Math.round((window.repairedAt - faultAt) / 100) / 10,
    sent: inWindow.length,
    first_attempt: { acked: 0, refused: {}, unanswered: 0 },
    attempts: { total: 0, refused: {}, unanswered: {} },
    acked: 0,
    never_acked: 0,
    lost: 0,
    duplicates: 0,
    order_violations: ledger.orderViolations.filter(({ at }) => at >= window.from && at < window.until)
      .length,
    undelivered: 0,
    back_to_normal_s: null,
    after_repair_s: null,
    examples: { lost: [], duplicates: [] },
  };
  for (const message of inWindow) {
    const first = message.attempts[0]?.result;
    if (first?.kind === 'ack') verdict.first_attempt.acked++;
    else if (first?.kind === 'refused') count(verdict.first_attempt.refused, first.code);
    else verdict.first_attempt.unanswered++;
    for (const { result } of message.attempts) {
      verdict.attempts.total++;
      if (result?.kind === 'refused') count(verdict.attempts.refused, result.code);
      else if (result?.kind === 'unanswered') count(verdict.attempts.unanswered, result.why);
      else if (result === null) count(verdict.attempts.unanswered, 'pending');
    }
    if (message.ackSeq === null) {
      verdict.never_acked++;
      continue;
    }
    verdict.acked++;
    if (bySeq.get(message.roomId)?.get(message.ackSeq) !== message.id) {
      verdict.lost++;
      if (verdict.examples.lost.length < 10) verdict.examples.lost.push(message.id);
    }
    if (message.otherAckSeqs.length > 0 || (stored.get(message.id)?.length ?? 0) > 1) {
      verdict.duplicates++;
      if (verdict.examples.duplicates.length < 10) verdict.examples.duplicates.push(message.id);
    }
    verdict.undelivered += Math.max(0, message.members - message.deliveredTo.size);
  }
  if (faultAt !== null) {
    // Seconds of the schedule: every send meant in them counts, whichever window it ended in.
    const back = secondsToNormal(messages, faultAt, window.judgedUntil, rule);
    verdict.back_to_normal_s = back;
    verdict.after_repair_s =
      back === null ? null : Math.max(0, Math.round((back - verdict.outage_s) * 10) / 10);
  }
  return verdict;
};
