import type { ChatMessage } from './wire';

/**
 * Turns one room's `message` frames, which around a reconnect may repeat or arrive out of order,
 * into what the app sees: every seq exactly once, ascending, without gaps. Seqs are assigned once
 * and never change, so a seq seen before is the same message and can be dropped.
 */
export class RoomSequencer {
  /** Held back until the seqs before them arrive. */
  private readonly early = new Map<number, ChatMessage>();

  /** `cursor`: the last seq already delivered, or null until the room's starting point is known. */
  constructor(private cursor: number | null = null) {}

  /** The last seq delivered to the app: what a resume asks the server to continue from. */
  get lastDelivered(): number | null {
    return this.cursor;
  }

  /** True while a message waits for a missing seq before it. */
  get hasGap(): boolean {
    return this.cursor !== null && this.early.size > 0;
  }

  /**
   * Sets the starting point once — the room's newest seq at the first join. A resume keeps its
   * cursor, so later calls change nothing. Returns the held messages that became deliverable.
   */
  start(cursor: number): ChatMessage[] {
    if (this.cursor !== null) return [];
    this.cursor = cursor;
    for (const seq of this.early.keys()) if (seq <= cursor) this.early.delete(seq);
    return this.drain();
  }

  /** Returns the messages to deliver now, in order: possibly none, possibly several. */
  accept(message: ChatMessage): ChatMessage[] {
    if (this.cursor !== null && message.seq <= this.cursor) return [];
    this.early.set(message.seq, message);
    return this.drain();
  }

  private drain(): ChatMessage[] {
    if (this.cursor === null) return [];
    const ready: ChatMessage[] = [];
    for (let next = this.early.get(this.cursor + 1); next; next = this.early.get(this.cursor + 1)) {
      this.early.delete(next.seq);
      this.cursor = next.seq;
      ready.push(next);
    }
    return ready;
  }
}
