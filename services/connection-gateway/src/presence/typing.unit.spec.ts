import { describe, expect, it } from 'vitest';
import { typingSignalDue } from './typing';

const T0 = 1_000_000;

describe('which typing frames become signals', () => {
  it('passes on the first start, and a renewal at most once a second', () => {
    expect(typingSignalDue(undefined, 'start', T0)).toBe(true);
    expect(typingSignalDue(T0, 'start', T0 + 999)).toBe(false);
    expect(typingSignalDue(T0, 'start', T0 + 1_000)).toBe(true);
  });

  it('passes on a stop only while an indicator shows', () => {
    expect(typingSignalDue(T0, 'stop', T0 + 10)).toBe(true);
    expect(typingSignalDue(undefined, 'stop', T0)).toBe(false);
    expect(typingSignalDue(T0, 'stop', T0 + 5_000)).toBe(false);
  });
});
