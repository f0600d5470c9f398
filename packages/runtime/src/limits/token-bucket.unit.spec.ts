import { describe, expect, it } from 'vitest';
import { LocalRateLimiter } from './token-bucket';

describe('local rate limiter', () => {
  const perMinute = (capacity: number) => {
    let now = 0;
    const limiter = new LocalRateLimiter({ capacity, periodMs: 60_000 }, () => now);
    return { limiter, advance: (ms: number) => (now += ms) };
  };

  it('allows a burst up to the capacity, then refuses', () => {
    const { limiter } = perMinute(60);
    const allowed = Array.from({ length: 61 }, () => limiter.tryTake('alice'));
    expect(allowed.filter(Boolean)).toHaveLength(60);
    expect(allowed[60]).toBe(false);
  });

  it('refills at capacity per period', () => {
    const { limiter, advance } = perMinute(60);
    for (let i = 0; i < 60; i++) limiter.tryTake('alice');
    expect(limiter.tryTake('alice')).toBe(false);
    advance(1_000);
    expect(limiter.tryTake('alice')).toBe(true);
    expect(limiter.tryTake('alice')).toBe(false);
  });

  it('keeps users apart', () => {
    const { limiter } = perMinute(1);
    expect(limiter.tryTake('alice')).toBe(true);
    expect(limiter.tryTake('bob')).toBe(true);
    expect(limiter.tryTake('alice')).toBe(false);
  });

  it('forgets refilled buckets on sweep but keeps empty ones', () => {
    const { limiter, advance } = perMinute(2);
    limiter.tryTake('alice');
    limiter.tryTake('alice');
    limiter.sweep();
    expect(limiter.tryTake('alice')).toBe(false);
    advance(60_000);
    limiter.sweep();
    expect(limiter.tryTake('alice')).toBe(true);
  });
});
