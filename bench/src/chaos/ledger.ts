/**
 * What the chaos run's clients sent and saw, kept without I/O so the verdicts computed from it
 * (lost, duplicated, out of order, back to normal) are pure functions with tests of their own.
 * Times are `performance.now()` milliseconds.
 */

/** How one attempt of a send ended: acknowledged, refused with a code, or never answered. */
export type AttemptResult =
  | { kind: 'ack'; seq: number }
  | { kind: 'refused'; code: string }
  | { kind: 'unanswered'; why: 'closed' | 'silence' };

export interface Attempt {
  at: number;
  result: AttemptResult | null;
  /** When it was answered, or given up as unanswered. */
  endedAt: number | null;
}

export interface SentMessage {
  /** The client_msg_id, unique over the run. */
  id: string;
  roomId: string;
  sender: number;
  /** When the constant-rate schedule meant it to leave. */
  intended: number;
  /** How many members (the sender included) must receive it. */
  members: number;
  attempts: Attempt[];
  /** The seq of the first ack, and when it arrived. */
  ackSeq: number | null;
  ackAt: number | null;
  /** Any other seq an ack for the same id named: the message was stored twice. */
  otherAckSeqs: number[];
  /** The members that received it (after deduplication by seq), and when the last one did. */
  deliveredTo: Set<number>;
  lastDeliveryAt: number | null;
}

/** A member received a seq that was neither the next one nor one it already had. */
export interface OrderViolation {
  at: number;
  member: number;
  roomId: string;
  expected: number;
  got: number;
}

export class Ledger {
  readonly messages = new Map<string, SentMessage>();
  readonly orderViolations: OrderViolation[] = [];
  /** Messages a member received again with a seq it already had (dropped by deduplication). */
  redelivered = 0;

  sent(id: string, roomId: string, sender: number, intended: number, members: number): void {
    this.messages.set(id, {
      id,
      roomId,
      sender,
      intended,
      members,
      attempts: [],
      ackSeq: null,
      ackAt: null,
      otherAckSeqs: [],
      deliveredTo: new Set(),
      lastDeliveryAt: null,
    });
  }

  attempt(id: string, at: number): void {
    this.messages.get(id)?.attempts.push({ at, result: null, endedAt: null });
  }

  /** Settles the open attempt of a message; a repeated ack (answer to a resend) is checked too. */
  answered(id: string, result: AttemptResult, at: number): void {
    const message = this.messages.get(id);
    if (!message) return;
    const open = message.attempts.findLast((attempt) => attempt.result === null);
    if (open) {
      open.result = result;
      open.endedAt = at;
    }
    if (result.kind !== 'ack') return;
    if (message.ackSeq === null) {
      message.ackSeq = result.seq;
      message.ackAt = at;
    } else if (message.ackSeq !== result.seq && !message.otherAckSeqs.includes(result.seq)) {
      message.otherAckSeqs.push(result.seq);
    }
  }

  delivered(id: string, member: number, at: number): void {
    const message = this.messages.get(id);
    if (!message || message.deliveredTo.has(member)) return;
    message.deliveredTo.add(member);
    message.lastDeliveryAt = Math.max(message.lastDeliveryAt ?? at, at);
  }

  outOfOrder(violation: OrderViolation): void {
    this.orderViolations.push(violation);
  }
}

/**
 * One member's view of its room: it orders and deduplicates by seq, as a client must. Returns
 * whether the frame carried news (a seq not seen before); a seq that is not the next one is an
 * order violation, recorded.
 */
export class RoomCursor {
  /** The highest seq received. */
  last = 0;
  private readonly seen = new Set<number>();

  constructor(
    private readonly ledger: Ledger,
    readonly member: number,
    readonly roomId: string,
  ) {}

  /** Whether the member has joined once: later joins resume from `last`, even when it is 0. */
  started = false;

  /** Where the member first joined: everything up to `seq` is behind it. */
  startAt(seq: number): void {
    this.last = seq;
    this.started = true;
  }

  receive(seq: number, id: string, at: number): boolean {
    if (this.seen.has(seq)) {
      this.ledger.redelivered++;
      return false;
    }
    if (seq !== this.last + 1) {
      this.ledger.outOfOrder({
        at,
        member: this.member,
        roomId: this.roomId,
        expected: this.last + 1,
        got: seq,
      });
    }
    this.seen.add(seq);
    this.last = Math.max(this.last, seq);
    this.ledger.delivered(id, this.member, at);
    return true;
  }
}
