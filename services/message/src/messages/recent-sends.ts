import { PersistentMap } from '../shared/persistent-map';

/** What a send produced: a repeat of the same command is answered with exactly this. */
export interface SentMessage {
  message_id: string;
  seq: number;
  created_at: string;
  client_msg_id: string | null;
}

/** How many of a room's latest sends a repeated command is recognised against. */
export const RECENT_SENDS_CAPACITY = 10_000;

/**
 * The outcomes of a room's latest sends, by message id. A message id is derived from the command
 * that produced it, so finding it here means the command was already applied. Sends are evicted
 * oldest first by seq — a pure function of the stream, so `evolve` stays deterministic.
 */
export class RecentSends {
  private constructor(
    private readonly byId: PersistentMap<string, SentMessage>,
    private readonly idBySeq: PersistentMap<number, string>,
  ) {}

  static empty(): RecentSends {
    return new RecentSends(PersistentMap.empty(), PersistentMap.empty());
  }

  find(messageId: string): SentMessage | undefined {
    return this.byId.get(messageId);
  }

  with(sent: SentMessage): RecentSends {
    let byId = this.byId.set(sent.message_id, sent);
    let idBySeq = this.idBySeq.set(sent.seq, sent.message_id);
    const evictedSeq = sent.seq - RECENT_SENDS_CAPACITY;
    const evictedId = idBySeq.get(evictedSeq);
    if (evictedId !== undefined) {
      idBySeq = idBySeq.delete(evictedSeq);
      // Keep the id if a later send reused it (a repeat that arrived after its window closed).
      if (byId.get(evictedId)?.seq === evictedSeq) byId = byId.delete(evictedId);
    }
    return new RecentSends(byId, idBySeq);
  }
}
