import { describe, expect, it } from 'vitest';
import type { RateLimiter } from './rate-limiter';

/** The one suite every RateLimiter adapter passes; keys are unique per test, times real. */
export const rateLimiterConformance = (name: string, open: () => Promise<RateLimiter>) => {
  const rule = { capacity: 3, periodMs: 600 };
  const unique = () => `user-${crypto.randomUUID()}`;

  describe(`RateLimiter conformance: ${name}`, () => {
    it('allows a burst of capacity, then refuses with the wait until the next token', async () => {
      const limiter = await open();
      const key = unique();
      const taken = [];
      for (let i = 0; i < 4; i++) taken.push(await limiter.take(key, rule));
      expect(taken.slice(0, 3)).toEqual([
        { allowed: true, retryAfterMs: 0 },
        { allowed: true, retryAfterMs: 0 },
        { allowed: true, retryAfterMs: 0 },
      ]);
      expect(taken[3]!.allowed).toBe(false);
      expect(taken[3]!.retryAfterMs).toBeGreaterThan(0);
      expect(taken[3]!.retryAfterMs).toBeLessThanOrEqual(200);
      await limiter.close();
    });

    it('gives a token back after the wait it named, and keeps keys apart', async () => {
      const limiter = await open();
      const [alice, bob] = [unique(), unique()];
      for (let i = 0; i < 3; i++) await limiter.take(alice, rule);
      const refused = await limiter.take(alice, rule);
      expect(await limiter.take(bob, rule)).toEqual({ allowed: true, retryAfterMs: 0 });
      await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 20));
      expect((await limiter.take(alice, rule)).allowed).toBe(true);
      expect((await limiter.take(alice, rule)).allowed).toBe(false);
      await limiter.close();
    });
  });
};
