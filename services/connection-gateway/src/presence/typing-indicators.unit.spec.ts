import type { TypingSignal, TypingState } from '@chat/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingIndicators } from './typing-indicators';

const signal = (state: TypingState, user = 'ann', room = 'r1'): TypingSignal => ({
  room_id: room,
  user_id: user,
  state,
  connection_id: `${user}-c1`,
  gateway: 'gateway-1',
  at: new Date().toISOString(),
});

describe('typing indicators as a gateway shows them', () => {
  let shown: [string, string, TypingState][];
  let indicators: TypingIndicators;
  beforeEach(() => {
    vi.useFakeTimers();
    shown = [];
    indicators = new TypingIndicators((s) => shown.push([s.room_id, s.user_id, s.state]), 5_000);
  });
  afterEach(() => {
    indicators.clear();
    vi.useRealTimers();
  });

  it('shows a start once, however often it is renewed, and a stop when the typer stops', () => {
    indicators.onSignal(signal('start'));
    vi.advanceTimersByTime(3_000);
    indicators.onSignal(signal('start'));
    indicators.onSignal(signal('stop'));
    vi.advanceTimersByTime(10_000);
    expect(shown).toEqual([
      ['r1', 'ann', 'start'],
      ['r1', 'ann', 'stop'],
    ]);
  });

  it('ends an indicator by itself 5 s after its last renewal', () => {
    indicators.onSignal(signal('start'));
    vi.advanceTimersByTime(4_000);
    indicators.onSignal(signal('start'));
    vi.advanceTimersByTime(4_999);
    expect(shown).toEqual([['r1', 'ann', 'start']]);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual([
      ['r1', 'ann', 'start'],
      ['r1', 'ann', 'stop'],
    ]);
    indicators.onSignal(signal('stop'));
    expect(shown).toHaveLength(2);
  });

  it('ignores a stop with no indicator showing, and keeps users and rooms apart', () => {
    indicators.onSignal(signal('stop'));
    indicators.onSignal(signal('start', 'ann', 'r1'));
    indicators.onSignal(signal('start', 'bob', 'r1'));
    indicators.onSignal(signal('start', 'ann', 'r2'));
    indicators.onSignal(signal('stop', 'bob', 'r1'));
    expect(shown).toEqual([
      ['r1', 'ann', 'start'],
      ['r1', 'bob', 'start'],
      ['r2', 'ann', 'start'],
      ['r1', 'bob', 'stop'],
    ]);
  });
});
