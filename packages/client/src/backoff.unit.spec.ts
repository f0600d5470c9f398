import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

const exact: BackoffPolicy = { ...DEFAULT_BACKOFF, jitter: 'none' };

describe('backoffDelay', () => {
  it('grows by the factor from the initial delay', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, exact))).toEqual([250, 500, 1000, 2000]);
  });

  it('never exceeds the maximum, even for huge attempt numbers', () => {
    expect(backoffDelay(7, exact)).toBe(30_000);
    expect(backoffDelay(10_000, exact)).toBe(30_000);
  });

  it('with full jitter picks uniformly in [0, ceiling)', () => {
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0.5)).toBe(500);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0.999_999)).toBe(999);
    expect(backoffDelay(50, DEFAULT_BACKOFF, () => 0.5)).toBe(15_000);
  });

  it('honours a custom policy', () => {
    const policy: BackoffPolicy = { initialMs: 100, maxMs: 1_000, factor: 3, jitter: 'none' };
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, policy))).toEqual([100, 300, 900, 1_000]);
  });
});
