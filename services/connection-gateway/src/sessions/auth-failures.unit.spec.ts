import { describe, expect, it } from 'vitest';
import { FailureWindow, MAX_SUBJECTS_PER_MINUTE } from './auth-failures';

const MINUTE = Date.UTC(2026, 0, 1, 10, 0);
const bob = { type: 'user' as const, id: 'bob' };
const address = { type: 'address' as const, id: '203.0.113.7' };

describe('failed authentications per subject per minute', () => {
  it('counts each subject apart, with its codes, and summarises a minute once it ended', () => {
    const window = new FailureWindow('gateway-1');
    expect(window.add(bob, 'invalid_token', MINUTE + 1_000)).toEqual([]);
    expect(window.add(bob, 'token_expired', MINUTE + 2_000)).toEqual([]);
    expect(window.add(address, 'invalid_token', MINUTE + 59_999)).toEqual([]);
    expect(window.close(MINUTE + 59_999)).toEqual([]);
    const summaries = window.close(MINUTE + 60_000);
    expect(summaries).toEqual([
      {
        summary_id: expect.any(String),
        subject: bob,
        minute: '2026-01-01T10:00:00.000Z',
        count: 2,
        codes: { invalid_token: 1, token_expired: 1 },
        gateway: 'gateway-1',
      },
      expect.objectContaining({ subject: address, count: 1, codes: { invalid_token: 1 } }),
    ]);
    expect(new Set(summaries.map((summary) => summary.summary_id)).size).toBe(2);
    expect(window.close(MINUTE + 120_000)).toEqual([]);
  });

  it("closes the minute before when a later minute's failure comes first", () => {
    const window = new FailureWindow('gateway-1');
    window.add(bob, 'invalid_token', MINUTE);
    const closed = window.add(bob, 'invalid_token', MINUTE + 61_000);
    expect(closed).toEqual([expect.objectContaining({ minute: '2026-01-01T10:00:00.000Z', count: 1 })]);
    expect(window.close()).toEqual([
      expect.objectContaining({ minute: '2026-01-01T10:01:00.000Z', count: 1 }),
    ]);
  });

  it('holds a bounded number of subjects per minute and tells how many failures it left out', () => {
    const window = new FailureWindow('gateway-1');
    for (let n = 0; n <= MAX_SUBJECTS_PER_MINUTE; n++)
      window.add({ type: 'user', id: `u${n}` }, 'invalid_token', MINUTE);
    window.add(bob, 'invalid_token', MINUTE);
    window.add({ type: 'user', id: 'u0' }, 'invalid_token', MINUTE);
    expect(window.takeDropped()).toBe(2);
    expect(window.takeDropped()).toBe(0);
    const summaries = window.close();
    expect(summaries).toHaveLength(MAX_SUBJECTS_PER_MINUTE);
    expect(summaries[0]).toMatchObject({ subject: { id: 'u0' }, count: 2 });
  });
});
