interface Count {
  unread: number;
  /** The newest seq the count covers: a message up to it is in the count already, or read. */
  countedTo: number;
}

/**
 * Unread messages per room: the server's counts (`unread` events, each with the room's newest seq
 * it covers), plus the messages by others that arrive past them. A message resumed after a
 * reconnect may come before or after the server's new count: counting only past `countedTo`
 * counts it once either way.
 */
export class UnreadCounter {
  private readonly counts = new Map<string, Count>();

  /** The server's count: `unread` messages by others, up to the room's `lastSeq`. */
  set(roomId: string, unread: number, lastSeq: number): void {
    this.counts.set(roomId, { unread, countedTo: lastSeq });
  }

  /** A message arrived; it counts if another user sent it, it is not read, and no count has it yet. */
  arrived(roomId: string, seq: number, byOther: boolean): void {
    const count = this.counts.get(roomId) ?? { unread: 0, countedTo: 0 };
    if (seq <= count.countedTo) return;
    this.counts.set(roomId, { unread: count.unread + (byOther ? 1 : 0), countedTo: seq });
  }

  /** The user read the room up to `seq`. */
  read(roomId: string, seq: number): void {
    const countedTo = Math.max(seq, this.counts.get(roomId)?.countedTo ?? 0);
    this.counts.set(roomId, { unread: 0, countedTo });
  }

  of(roomId: string): number {
    return this.counts.get(roomId)?.unread ?? 0;
  }
}
