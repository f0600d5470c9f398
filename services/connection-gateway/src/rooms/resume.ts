/**
 * Resume: deliver every message after the client's `last_seq` exactly once, in order, then hand
 * the connection over to the room's live topic — without per-socket filtering of topic
 * publishes, which uWebSockets.js does not offer.
 *
 * Why it is exact: history pages are answered on the room's event partition, after every event
 * they contain. So when this gateway's fan-out consumer reaches a page, it has already published
 * every message in it. While a resume is open, messages the fan-out publishes are also buffered
 * here. A resume completes when history plus buffer leave no hole up to the newest message the
 * fan-out has published; from then on only newer messages reach the topic.
 */
export interface ResumeItem {
  /** The message's seq; null for other room frames (membership changes...). */
  seq: number | null;
  frame: string;
}

export type PageVerdict =
  { done: true; send: string[] } | { done: false; send: string[]; afterSeq: number; progressed: boolean };

export class RoomResume {
  private readonly buffer: ResumeItem[] = [];
  private sentUpTo: number;

  /**
   * @param lastSeq the last message the client has.
   * @param mustReach the room's newest seq when the join was decided: messages up to it may have
   *   been published before this gateway was listening, so history must cover them.
   */
  constructor(
    readonly roomId: string,
    lastSeq: number,
    private readonly mustReach: number,
  ) {
    this.sentUpTo = lastSeq;
  }

  get afterSeq(): number {
    return this.sentUpTo;
  }

  /** A frame the fan-out published to the room while this resume was open. */
  onLive(item: ResumeItem): void {
    this.buffer.push(item);
  }

  /**
   * A page of history arrived in fan-out order. `publishedSeq` is the newest message seq this
   * gateway has published for the room (0 if none since it started).
   */
  onPage(page: ResumeItem[], publishedSeq: number): PageVerdict {
    const before = this.sentUpTo;
    const send: string[] = [];
    for (const item of page) {
      if (item.seq !== this.sentUpTo + 1) continue;
      send.push(item.frame);
      this.sentUpTo = item.seq;
    }
    if (!this.closesTheGap(publishedSeq)) {
      return { done: false, send, afterSeq: this.sentUpTo, progressed: this.sentUpTo > before };
    }
    for (const item of this.buffer) {
      if (item.seq !== null && item.seq <= this.sentUpTo) continue;
      send.push(item.frame);
      if (item.seq !== null) this.sentUpTo = item.seq;
    }
    return { done: true, send };
  }

  /** History and buffer run without a hole up to everything published (and the join's head). */
  private closesTheGap(publishedSeq: number): boolean {
    let reach = this.sentUpTo;
    for (const { seq } of this.buffer) {
      if (seq === null || seq <= reach) continue;
      if (seq !== reach + 1) return false;
      reach = seq;
    }
    return reach >= Math.max(publishedSeq, this.mustReach);
  }

  get buffered(): number {
    return this.buffer.length;
  }
}
