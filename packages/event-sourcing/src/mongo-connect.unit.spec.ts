import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reconnectWhenMonitorStalls } from './mongo-connect';

const STALL_MS = 30_000;
const RETRY_MS = 2_000;

/** A client that records being closed and connected; `connect` fails while `serverAway` holds. */
const fakeClient = () => {
  const events = new EventEmitter();
  const calls: string[] = [];
  const state = { serverAway: false };
  const client = {
    on: (event: string, listener: () => void) => {
      events.on(event, listener);
      return client;
    },
    close: async () => {
      calls.push('close');
      events.emit('topologyClosed');
    },
    connect: async () => {
      calls.push('connect');
      if (state.serverAway) throw new Error('connect ECONNREFUSED');
      return client;
    },
  };
  return { client: client as never, events, calls, state };
};

describe('a MongoDB client whose monitor wedges', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('given a server check that never ends, then the client is closed and connected again', async () => {
    const { client, events, calls } = fakeClient();
    reconnectWhenMonitorStalls(client, STALL_MS, RETRY_MS);
    events.emit('serverHeartbeatStarted');
    await vi.advanceTimersByTimeAsync(STALL_MS - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['close', 'connect']);
  });

  it('given server checks that succeed or fail in time, then the client is left alone', async () => {
    const { client, events, calls } = fakeClient();
    reconnectWhenMonitorStalls(client, STALL_MS, RETRY_MS);
    for (const ended of ['serverHeartbeatSucceeded', 'serverHeartbeatFailed', 'serverHeartbeatSucceeded']) {
      events.emit('serverHeartbeatStarted');
      await vi.advanceTimersByTimeAsync(STALL_MS - 1);
      events.emit(ended);
    }
    await vi.advanceTimersByTimeAsync(10 * STALL_MS);
    expect(calls).toEqual([]);
  });

  it('given the server still away, then connecting is tried again until it answers', async () => {
    const { client, events, calls, state } = fakeClient();
    reconnectWhenMonitorStalls(client, STALL_MS, RETRY_MS);
    state.serverAway = true;
    events.emit('serverHeartbeatStarted');
    await vi.advanceTimersByTimeAsync(STALL_MS + 2 * RETRY_MS);
    expect(calls).toEqual(['close', 'connect', 'connect', 'connect']);
    state.serverAway = false;
    await vi.advanceTimersByTimeAsync(10 * RETRY_MS);
    expect(calls).toEqual(['close', 'connect', 'connect', 'connect', 'connect']);
  });

  it('given its owner closed it, then a check left hanging does not connect it again', async () => {
    const { client, events, calls } = fakeClient();
    reconnectWhenMonitorStalls(client, STALL_MS, RETRY_MS);
    events.emit('serverHeartbeatStarted');
    events.emit('topologyClosed');
    await vi.advanceTimersByTimeAsync(10 * STALL_MS);
    expect(calls).toEqual([]);
  });
});
