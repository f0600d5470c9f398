/**
 * Per-key token buckets in memory: each key may spend `capacity` tokens, refilled continuously at
 * `capacity` per `periodMs`. Buckets idle for a whole period are full again, so they are
 * forgotten (at most one sweep per period) and memory follows the active keys only.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweptAt: number;

  constructor(
    private readonly capacity: number,
    private readonly periodMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweptAt = now();
  }

  /** Spends a token of `key`'s bucket; false when it is empty. */
  take(key: string): boolean {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key);
    const tokens = bucket
      ? Math.min(this.capacity, bucket.tokens + ((now - bucket.at) * this.capacity) / this.periodMs)
      : this.capacity;
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < this.periodMs) return;
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= this.periodMs) this.buckets.delete(key);
  }
}
