/**
 * A token bucket: `capacity` tokens, refilled continuously at `capacity` per `periodMs`. Pure
 * state and a clock passed in, so the rules are tested without waiting.
 */
export interface TokenBucket {
  tokens: number;
  updatedAt: number;
}

export interface BucketRule {
  capacity: number;
  periodMs: number;
}

export const fullBucket = (rule: BucketRule, now: number): TokenBucket => ({
  tokens: rule.capacity,
  updatedAt: now,
});

/**
 * Takes one token if there is one; returns the new bucket, whether it was allowed and, if not,
 * how long until a token is back.
 */
export const take = (
  bucket: TokenBucket,
  rule: BucketRule,
  now: number,
): { bucket: TokenBucket; allowed: boolean; retryAfterMs: number } => {
  const refilled = Math.min(
    rule.capacity,
    bucket.tokens + (Math.max(0, now - bucket.updatedAt) * rule.capacity) / rule.periodMs,
  );
  if (refilled < 1) {
    const retryAfterMs = Math.ceil(((1 - refilled) * rule.periodMs) / rule.capacity);
    return { bucket: { tokens: refilled, updatedAt: now }, allowed: false, retryAfterMs };
  }
  return { bucket: { tokens: refilled - 1, updatedAt: now }, allowed: true, retryAfterMs: 0 };
};

/**
 * One bucket per key in this process, forgotten once full again so idle keys cost nothing: for
 * limits that are local by nature (a connection's frames) or not worth a round trip (typing).
 */
export class LocalRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly rule: BucketRule,
    private readonly clock: () => number = Date.now,
  ) {}

  tryTake(key: string): boolean {
    const now = this.clock();
    const { bucket, allowed } = take(this.buckets.get(key) ?? fullBucket(this.rule, now), this.rule, now);
    this.buckets.set(key, bucket);
    return allowed;
  }

  /** Drops buckets that have refilled completely; called periodically. */
  sweep(): void {
    const now = this.clock();
    for (const [key, bucket] of this.buckets) {
      if (
        bucket.tokens + ((now - bucket.updatedAt) * this.rule.capacity) / this.rule.periodMs >=
        this.rule.capacity
      ) {
        this.buckets.delete(key);
      }
    }
  }
}
