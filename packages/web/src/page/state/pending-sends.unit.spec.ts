import type { ChatMessage } from '@chat/client';
import { describe, expect, it } from 'vitest';
import { PendingSends } from './pending-sends';

const stored = (content: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  room_id: 'r1',
  message_id: `m-${content}`,
  seq: 1,
  sender_id: 'alice',
  content,
  message_type: 'text',
  created_at: '2026-01-01T00:00:00.000Z',
  client_msg_id: `c-${content}`,
  ...extra,
});

describe('pending sends', () => {
  it('are settled by their ack, and the message that follows settles no other', () => {
    const sends = new PendingSends();
    const first = sends.add('r1', 'ok');
    sends.add('r1', 'ok');
    sends.acked(first, 'c-ok');
    sends.arrived(stored('ok'));
    expect(sends.of('r1').map(({ content }) => content)).toEqual(['ok']);
  });

  it('are settled by their message when it comes before the ack: the oldest of the same room, thread and content', () => {
    const sends = new PendingSends();
    sends.add('r1', 'hello');
    sends.add('r1', 'hello', 'root');
    sends.add('r2', 'hello');
    sends.arrived(stored('hello', { thread_id: 'root' }));
    expect(sends.of('r1')).toHaveLength(1);
    expect(sends.of('r1', 'root')).toEqual([]);
    expect(sends.of('r2')).toHaveLength(1);
  });

  it('keep a refused send, with why, out of the count of those waiting', () => {
    const sends = new PendingSends();
    const refused = sends.add('r1', 'too much');
    sends.add('r1', 'fine');
    sends.failed(refused, 'Not sent: content_too_long');
    expect(sends.waiting()).toBe(1);
    sends.arrived(stored('too much'));
    expect(sends.of('r1').find(({ id }) => id === refused)?.failed).toBe('Not sent: content_too_long');
  });
});
