import { fullBucket, take, type BucketRule, type TokenBucket } from './token-bucket';

/** What a limiter answers: allowed, or how long until a token is back. */
export interface Taken {
  allowed: boolean;
  /** 0 when allowed; else the wait before the next token. */
  retryAfterMs: number;
}

/**
 * Per-key token buckets (a user's budget for one kind of request). In the fleet one Redis holds the
 * buckets of every gateway and of the REST routes, so a user's budget is the same whichever way
 * they come; embedded, one in-memory limiter serves the whole process. Both adapters pass
 * `rate-limiter.conformance.ts`.
 */
export interface RateLimiter {
  take(key: string, rule: BucketRule): Promise<Taken>;
  close(): Promise<void>;
}

/** The embedded adapter: buckets in this process, forgotten once full again. */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; rule: BucketRule }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async take(key: string, rule: BucketRule): Promise<Taken> {
    const now = this.clock();
    const taken = take(this.buckets.get(key)?.bucket ?? fullBucket(rule, now), rule, now);
    this.buckets.set(key, { bucket: taken.bucket, rule });
    return { allowed: taken.allowed, retryAfterMs: taken.retryAfterMs };
  }

  /** Drops buckets that have refilled completely: idle users cost nothing. */
  private sweep(): void {
    const now = this.clock();
    for (const [key, { bucket, rule }] of this.buckets) {
      if (take(bucket, rule, now).bucket.tokens + 1 >= rule.capacity) this.buckets.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
