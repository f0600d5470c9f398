import { afterEach, beforeEach, vi } from 'vitest';
import { ChatClient } from '../chat-client';
import type { ChatClientOptions } from '../options';
import { fakeWebSocket } from './fake-websocket';

/** Lets pending promise callbacks (the token provider, the socket's creation) run. */
export const settle = () => vi.advanceTimersByTimeAsync(0);

/**
 * The SDK specs' common setup, registered in the calling `describe`: fake timers, a fresh fake
 * WebSocket per test, and the client a test starts, closed after it.
 */
export const clientOnFakeSocket = () => {
  let started: ChatClient | null = null;
  const fixture = {
    ws: fakeWebSocket(),
    get client(): ChatClient {
      if (!started) throw new Error('no client started in this test');
      return started;
    },
    start(options: Partial<ChatClientOptions> = {}): ChatClient {
      started = new ChatClient({
        url: 'ws://chat.test/ws',
        token: 'token',
        WebSocket: fixture.ws.WebSocket,
        backoff: { initialMs: 100, jitter: 'none' },
        ...options,
      });
      return started;
    },
    /** A started client, connected and authenticated. */
    async connected(options: Partial<ChatClientOptions> = {}): Promise<ChatClient> {
      const opened = fixture.start(options).connect();
      await settle();
      fixture.ws.latest().authenticate();
      await opened;
      return fixture.client;
    },
  };
  beforeEach(() => {
    vi.useFakeTimers();
    fixture.ws = fakeWebSocket();
  });
  afterEach(() => {
    started?.close();
    started = null;
    vi.useRealTimers();
  });
  return fixture;
};
