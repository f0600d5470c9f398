import { describe, expect, it } from 'vitest';
import { TYPING_SHOWN_MS, TypingTracker, typingText } from './typing';

describe('typing indicators', () => {
  it('shows a typist until stop, or until their last start is too old', () => {
    const tracker = new TypingTracker();
    tracker.update('r1', 'bob', 'start', 0);
    tracker.update('r1', 'alice', 'start', 1_000);
    expect(tracker.typing('r1', 2_000)).toEqual(['alice', 'bob']);
    tracker.update('r1', 'alice', 'stop', 2_000);
    expect(tracker.typing('r1', 2_000)).toEqual(['bob']);
    expect(tracker.typing('r1', TYPING_SHOWN_MS)).toEqual([]);
    expect(tracker.typing('r2', 0)).toEqual([]);
  });

  it('says who types in words', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['bob'])).toBe('bob is typing…');
    expect(typingText(['alice', 'bob'])).toBe('alice and bob are typing…');
    expect(typingText(['a', 'b', 'c'])).toBe('3 people are typing…');
  });
});
