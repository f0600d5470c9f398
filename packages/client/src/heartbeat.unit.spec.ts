import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat } from './heartbeat';

describe('Heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings every interval', () => {
    const ping = vi.fn();
    const heartbeat = new Heartbeat(1_000, ping, vi.fn());
    heartbeat.start();
    vi.advanceTimersByTime(3_500);
    expect(ping).toHaveBeenCalledTimes(3);
    heartbeat.stop();
  });

  it('reports silence after two intervals without a frame', () => {
    const onSilence = vi.fn();
    const heartbeat = new Heartbeat(1_000, vi.fn(), onSilence);
    heartbeat.start();
    vi.advanceTimersByTime(1_999);
    expect(onSilence).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onSilence).toHaveBeenCalledOnce();
    heartbeat.stop();
  });

  it('stays quiet while frames keep arriving', () => {
    const onSilence = vi.fn();
    const heartbeat = new Heartbeat(1_000, vi.fn(), onSilence);
    heartbeat.start();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1_500);
      heartbeat.heard();
    }
    expect(onSilence).not.toHaveBeenCalled();
    heartbeat.stop();
  });

  it('does nothing once stopped', () => {
    const ping = vi.fn();
    const onSilence = vi.fn();
    const heartbeat = new Heartbeat(1_000, ping, onSilence);
    heartbeat.start();
    heartbeat.stop();
    vi.advanceTimersByTime(10_000);
    expect(ping).not.toHaveBeenCalled();
    expect(onSilence).not.toHaveBeenCalled();
  });
});
