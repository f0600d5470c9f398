import { BenchClient } from '../load/client';
import { sourceAddress } from '../load/connect';
import type { ErrorCounts } from '../measure/counters';
import type { Wire, Frame } from '../wire/wire';
import { RoomCursor, type Ledger } from './ledger';

/** Refusals that say "not now": the careful client sends again, with the same client_msg_id. */
const RETRYABLE = new Set(['timeout', 'unavailable', 'internal', 'overloaded', 'rate_limited']);

export interface MemberOptions {
  wire: Wire;
  /** Every gateway; a member connects to its own first and to the next one when that fails. */
  wsUrls: string[];
  sources: number;
  /** An attempt that gets no answer within this is unanswered, and sent again. */
  answerTimeoutMs: number;
  /** Attempts per message, the first included. */
  maxAttempts: number;
  retryDelayMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One user in one room, behaving as a careful client does under faults: when its connection drops
 * it reconnects (to the next gateway when its own is down), joins again with the last seq it has
 * (resume), and sends again, with the same client_msg_id, every message not acknowledged yet; a
 * refusal that means "not now" is retried after a pause. What it sends and receives goes to the
 * ledger.
 */
export class ChaosMember {
  private client: BenchClient | null = null;
  private ready = false;
  private stopped = false;
  /** How often its connection dropped, and the gateway it is connected to (for the run's report). */
  reconnects = 0;
  url: string | null = null;
  /** Sent on the current connection, waiting for their answer: id → silence timer. */
  private readonly awaiting = new Map<string, NodeJS.Timeout>();
  /** Waiting for a connection (or for their retry pause) before being sent. */
  private readonly queued: string[] = [];
  private readonly cursor: RoomCursor;

  constructor(
    readonly index: number,
    readonly userId: string,
    private readonly token: string,
    readonly roomId: string,
    private readonly ledger: Ledger,
    private readonly errors: ErrorCounts,
    private readonly options: MemberOptions,
  ) {
    this.cursor = new RoomCursor(ledger, index, roomId);
  }

  get connected(): boolean {
    return this.ready;
  }

  /** The highest seq of its room this member has received. */
  get lastSeq(): number {
    return this.cursor.last;
  }

  get pending(): number {
    return this.awaiting.size + this.queued.length;
  }

  /** Connects and joins, trying gateway after gateway until it works or the member is stopped. */
  async connect(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const url = this.options.wsUrls[(this.index + this.reconnects + attempt) % this.options.wsUrls.length]!;
      const client = new BenchClient(this.index, this.userId, this.errors);
      try {
        await client.start(
          this.options.wire,
          url,
          sourceAddress(this.index, this.options.sources),
          this.token,
          10_000,
        );
        client.onFrame = (frame, now) => this.receive(frame, now);
        client.onDrop = () => this.dropped(client);
        const head = await client.join(
          this.roomId,
          20_000,
          this.cursor.started ? this.cursor.last : undefined,
        );
        if (this.stopped) return client.close();
        if (!this.cursor.started) this.cursor.startAt(head);
        this.client = client;
        this.url = url;
        this.ready = true;
        this.flush();
        return;
      } catch {
        client.onDrop = null;
        client.close();
        await sleep(Math.min(2_000, 250 * (attempt + 1)));
      }
    }
  }

  /** A new message of the schedule (recorded in the ledger by the caller). */
  send(id: string): void {
    this.queued.push(id);
    if (this.ready) this.flush();
  }

  stop(): void {
    this.stopped = true;
    this.ready = false;
    for (const timer of this.awaiting.values()) clearTimeout(timer);
    this.client?.close();
  }

  private flush(): void {
    while (this.ready && this.queued.length > 0) this.attempt(this.queued.shift()!);
  }

  private attempt(id: string): void {
    const message = this.ledger.messages.get(id)!;
    const now = performance.now();
    this.ledger.attempt(id, now);
    this.awaiting.set(
      id,
      setTimeout(() => {
        this.awaiting.delete(id);
        this.ledger.answered(id, { kind: 'unanswered', why: 'silence' }, performance.now());
        this.retry(id);
      }, this.options.answerTimeoutMs),
    );
    this.client!.send({
      type: 'send_message',
      room_id: message.roomId,
      content: `chaos ${id}`,
      client_msg_id: id,
    });
  }

  private retry(id: string, delayMs = 0): void {
    const message = this.ledger.messages.get(id)!;
    if (message.ackSeq !== null || message.attempts.length >= this.options.maxAttempts || this.stopped)
      return;
    if (delayMs === 0) return this.send(id);
    setTimeout(() => this.send(id), delayMs);
  }

  /**
   * As the SDK waits before sending a refused message again: a delay doubling from
   * `retryDelayMs` with each refusal of it (up to 8 times that, with jitter, so refused clients do
   * not come back in lockstep), and never less than the server's `retry_after_ms`.
   */
  private retryDelay(id: string, retryAfterMs: number): number {
    const refusals = this.ledger.messages
      .get(id)!
      .attempts.filter((attempt) => attempt.result?.kind === 'refused');
    const ceiling = this.options.retryDelayMs * 2 ** Math.min(refusals.length - 1, 3);
    return Math.max(ceiling * (0.5 + Math.random() / 2), retryAfterMs);
  }

  private settle(id: string): boolean {
    const timer = this.awaiting.get(id);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.awaiting.delete(id);
    return true;
  }

  private receive(frame: Frame, now: number): void {
    switch (frame.type) {
      case 'message':
        if (frame.room_id === this.roomId)
          this.cursor.receive(Number(frame.seq), String(frame.client_msg_id), now);
        return;
      case 'ack': {
        const id = String(frame.client_msg_id);
        if (this.settle(id)) this.ledger.answered(id, { kind: 'ack', seq: Number(frame.seq) }, now);
        return;
      }
      case 'error': {
        const code = String(frame.code);
        this.errors.add(code);
        if (frame.ref === 'join_room') return void this.rejoin();
        const id = String(frame.ref);
        if (!this.settle(id)) return;
        this.ledger.answered(id, { kind: 'refused', code }, now);
        if (RETRYABLE.has(code)) this.retry(id, this.retryDelay(id, Number(frame.retry_after_ms ?? 0)));
        return;
      }
      default:
        return;
    }
  }

  /** The resume was refused (history unavailable): join again from the last seq received. */
  private async rejoin(): Promise<void> {
    await sleep(this.options.retryDelayMs);
    const client = this.client;
    if (!client || client.closed || this.stopped) return;
    client.join(this.roomId, 20_000, this.cursor.last).catch(() => this.rejoin());
  }

  /** The connection dropped: what awaited an answer goes unanswered and is queued again. */
  private dropped(client: BenchClient): void {
    if (client !== this.client || this.stopped) return;
    this.ready = false;
    this.client = null;
    this.reconnects++;
    const now = performance.now();
    const unanswered = [...this.awaiting];
    this.awaiting.clear();
    for (const [id, timer] of unanswered) {
      clearTimeout(timer);
      this.ledger.answered(id, { kind: 'unanswered', why: 'closed' }, now);
      this.retry(id);
    }
    void this.connect();
  }
}
