/**
 * A bounded map of recently used entries, each fresh for `ttlMs` after it was loaded: the least
 * recently used goes first when full, and a key destroyed by another process stops working here
 * within `ttlMs` even if no one says so. An entry past its time is no longer given by `get`, but
 * `stale` still gives it for `staleMs` more: for when the store cannot be asked again.
 */
export class KeyCache<V> {
  private readonly entries = new Map<string, { value: V; loadedAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly staleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The entry while it is fresh. */
  get(id: string): V | undefined {
    const entry = this.entries.get(id);
    if (!entry || this.now() - entry.loadedAt >= this.ttlMs) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.value;
  }

  /** The entry, fresh or not, unless it was loaded longer than `ttlMs + staleMs` ago. */
  stale(id: string): V | undefined {
    const entry = this.entries.get(id);
    if (!entry || this.now() - entry.loadedAt >= this.ttlMs + this.staleMs) return undefined;
    return entry.value;
  }

  set(id: string, value: V): void {
    this.entries.delete(id);
    this.entries.set(id, { value, loadedAt: this.now() });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets every entry `which` selects. */
  forget(which: (value: V) => boolean): void {
    for (const [id, { value }] of this.entries) if (which(value)) this.entries.delete(id);
  }
}
