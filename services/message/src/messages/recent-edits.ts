import { PersistentMap } from '../shared/persistent-map';

/** What an edit produced: a repeat of the same command is answered with exactly this. */
export interface AppliedEdit {
  message_id: string;
  seq: number;
  edited_at: string;
}

/** How many of a room's latest edits a repeated edit command is recognised against. */
export const RECENT_EDITS_CAPACITY = 10_000;

/**
 * The outcomes of a room's latest edits, by edit id (derived from the command, like a message
 * id). Edits are evicted oldest first by their number in the stream — a pure function of the
 * stream, so `evolve` stays deterministic.
 */
export class RecentEdits {
  private constructor(
    private readonly byId: PersistentMap<string, AppliedEdit>,
    private readonly idByNumber: PersistentMap<number, string>,
    private readonly count: number,
  ) {}

  static empty(): RecentEdits {
    return new RecentEdits(PersistentMap.empty(), PersistentMap.empty(), 0);
  }

  find(editId: string): AppliedEdit | undefined {
    return this.byId.get(editId);
  }

  with(editId: string, edit: AppliedEdit): RecentEdits {
    const number = this.count + 1;
    let byId = this.byId.set(editId, edit);
    let idByNumber = this.idByNumber.set(number, editId);
    const evictedNumber = number - RECENT_EDITS_CAPACITY;
    const evictedId = idByNumber.get(evictedNumber);
    if (evictedId !== undefined) {
      idByNumber = idByNumber.delete(evictedNumber);
      byId = byId.delete(evictedId);
    }
    return new RecentEdits(byId, idByNumber, number);
  }
}
