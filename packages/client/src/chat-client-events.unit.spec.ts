import type { ServerFrame } from '@chat/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatClient } from './chat-client';
import type { ChatEvents } from './events';
import { fakeWebSocket } from './testing/fake-websocket';

/** Lets pending promise callbacks (the token provider, the socket's creation) run. */
const settle = () => vi.advanceTimersByTimeAsync(0);
const AT = '2025-01-01T00:00:00.000Z';

describe('ChatClient: read marks and the frames beside messages', () => {
  let ws: ReturnType<typeof fakeWebSocket>;
  let client: ChatClient;
  const connected = async () => {
    client = new ChatClient({
      url: 'ws://chat.test/ws',
      token: 'token',
      WebSocket: ws.WebSocket,
      backoff: { initialMs: 100, jitter: 'none' },
    });
    const opened = client.connect();
    await settle();
    ws.latest().authenticate();
    await opened;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    ws = fakeWebSocket();
  });
  afterEach(() => {
    client.close();
    vi.useRealTimers();
  });

  it('marks a room read, never backwards, and marks it again on the next connection', async () => {
    await connected();
    client.markRead('general', 3);
    client.markRead('general', 2);
    client.markRead('general', 5);
    expect(ws.latest().sentOfType('mark_read')).toEqual([
      { type: 'mark_read', room_id: 'general', seq: 3 },
      { type: 'mark_read', room_id: 'general', seq: 5 },
    ]);
    ws.latest().drop();
    client.markRead('design', 7);
    await vi.advanceTimersByTimeAsync(100);
    ws.latest().authenticate();
    expect(ws.latest().sentOfType('mark_read')).toEqual([
      { type: 'mark_read', room_id: 'general', seq: 5 },
      { type: 'mark_read', room_id: 'design', seq: 7 },
    ]);
  });

  it('emits receipt, unread, presence, typing, message_edited and message_deleted without their type', async () => {
    await connected();
    const frames: ServerFrame[] = [
      { type: 'receipt', room_id: 'general', user_id: 'bob', seq: 4, read_at: AT },
      { type: 'unread', rooms: [{ room_id: 'general', unread: 2, last_seq: 6 }] },
      { type: 'presence', user_id: 'bob', status: 'away', last_seen: AT },
      { type: 'typing', room_id: 'general', user_id: 'bob', state: 'start' },
      {
        type: 'message_edited',
        room_id: 'general',
        message_id: 'm1',
        seq: 1,
        content: 'fixed',
        edited_at: AT,
      },
      { type: 'message_deleted', room_id: 'general', message_id: 'm2', seq: 2 },
    ];
    const seen: [string, unknown][] = [];
    const names = ['receipt', 'unread', 'presence', 'typing', 'message_edited', 'message_deleted'] as const;
    for (const name of names) {
      client.on(name, (payload: ChatEvents[typeof name]) => seen.push([name, payload]));
    }
    for (const frame of frames) ws.latest().deliver(frame);
    expect(seen).toEqual(frames.map(({ type, ...payload }) => [type, payload]));
  });

  it('reports a refused read mark as an error', async () => {
    await connected();
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.code));
    client.markRead('general', 99);
    ws.latest().deliver({ type: 'error', code: 'seq_out_of_range', message: 'too far', ref: 'mark_read' });
    expect(errors).toEqual(['seq_out_of_range']);
  });
});
