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

/** Takes one token if there is one; returns the new bucket and whether it was allowed. */
export const take = (
  bucket: TokenBucket,
  rule: BucketRule,
  now: number,
): { bucket: TokenBucket; allowed: boolean } => {
  const refilled = Math.min(
    rule.capacity,
    bucket.tokens + ((now - bucket.updatedAt) * rule.capacity) / rule.periodMs,
  );
  if (refilled < 1) return { bucket: { tokens: refilled, updatedAt: now }, allowed: false };
  return { bucket: { tokens: refilled - 1, updatedAt: now }, allowed: true };
};

/** One bucket per key (a user id), forgotten once full again so idle users cost nothing. */
export class RateLimiter {
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
