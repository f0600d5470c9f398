import type { ServerFrame } from './wire';
import { describe, expect, it, vi } from 'vitest';
import type { ChatEvents } from './events';
import { clientOnFakeSocket } from './testing/client-on-fake-socket';

const AT = '2025-01-01T00:00:00.000Z';

describe('ChatClient: read marks and the frames beside messages', () => {
  const sdk = clientOnFakeSocket();

  it('marks a room read, never backwards, and marks it again on the next connection', async () => {
    await sdk.connected();
    sdk.client.markRead('general', 3);
    sdk.client.markRead('general', 2);
    sdk.client.markRead('general', 5);
    expect(sdk.ws.latest().sentOfType('mark_read')).toEqual([
      { type: 'mark_read', room_id: 'general', seq: 3 },
      { type: 'mark_read', room_id: 'general', seq: 5 },
    ]);
    sdk.ws.latest().drop();
    sdk.client.markRead('design', 7);
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    expect(sdk.ws.latest().sentOfType('mark_read')).toEqual([
      { type: 'mark_read', room_id: 'general', seq: 5 },
      { type: 'mark_read', room_id: 'design', seq: 7 },
    ]);
  });

  it('emits receipt, unread, presence, typing, message_edited, message_deleted and history_expired without their type', async () => {
    await sdk.connected();
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
      { type: 'history_expired', room_id: 'general', through_seq: 2 },
    ];
    const seen: [string, unknown][] = [];
    const names = [
      'receipt',
      'unread',
      'presence',
      'typing',
      'message_edited',
      'message_deleted',
      'history_expired',
    ] as const;
    for (const name of names) {
      sdk.client.on(name, (payload: ChatEvents[typeof name]) => seen.push([name, payload]));
    }
    for (const frame of frames) sdk.ws.latest().deliver(frame);
    expect(seen).toEqual(frames.map(({ type, ...payload }) => [type, payload]));
  });

  it('reports a refused read mark as an error', async () => {
    await sdk.connected();
    const errors: string[] = [];
    sdk.client.on('error', (error) => errors.push(error.code));
    sdk.client.markRead('general', 99);
    sdk.ws
      .latest()
      .deliver({ type: 'error', code: 'seq_out_of_range', message: 'too far', ref: 'mark_read' });
    expect(errors).toEqual(['seq_out_of_range']);
  });
});
