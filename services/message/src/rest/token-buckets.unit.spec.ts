import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets';

const clock = () => {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

const takeMany = (buckets: TokenBuckets, key: string, count: number) =>
  Array.from({ length: count }, () => buckets.take(key)).filter(Boolean).length;

describe('TokenBuckets', () => {
  it('allows a burst of `capacity`, then refuses', () => {
    const buckets = new TokenBuckets(3, 60_000, clock().now);
    expect(takeMany(buckets, 'alice', 5)).toBe(3);
  });

  it('refills continuously over the period', () => {
    const time = clock();
    const buckets = new TokenBuckets(60, 60_000, time.now);
    expect(takeMany(buckets, 'alice', 60)).toBe(60);
    expect(buckets.take('alice')).toBe(false);
    time.advance(1_000);
    expect(takeMany(buckets, 'alice', 3)).toBe(1);
    time.advance(120_000);
    expect(takeMany(buckets, 'alice', 100)).toBe(60);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(1, 60_000, clock().now);
    expect([buckets.take('alice'), buckets.take('bob'), buckets.take('alice')]).toEqual([true, true, false]);
  });

  it('starts a forgotten idle bucket full again', () => {
    const time = clock();
    const buckets = new TokenBuckets(2, 60_000, time.now);
    takeMany(buckets, 'alice', 2);
    time.advance(60_000);
    buckets.take('bob');
    expect(takeMany(buckets, 'alice', 3)).toBe(2);
  });
});
