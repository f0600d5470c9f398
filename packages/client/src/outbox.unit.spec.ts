import { describe, expect, it } from 'vitest';
import { Outbox, type Ack, type SendFrame } from './outbox';

const frame = (clientMsgId: string, content = 'hi'): SendFrame => ({
  type: 'send_message',
  room_id: 'general',
  content,
  message_type: 'text',
  client_msg_id: clientMsgId,
});

const ack = (clientMsgId: string | null, seq = 1): Ack => ({
  client_msg_id: clientMsgId,
  message_id: `m${seq}`,
  room_id: 'general',
  seq,
  created_at: '2025-01-01T00:00:00.000Z',
});

describe('Outbox', () => {
  it('keeps unconfirmed frames in the order they were sent', () => {
    const outbox = new Outbox();
    void outbox.add(frame('a'));
    void outbox.add(frame('b'));
    void outbox.add(frame('c'));
    expect(outbox.frames().map((f) => f.client_msg_id)).toEqual(['a', 'b', 'c']);
    expect(outbox.get('b')).toEqual(frame('b'));
  });

  it('resolves a send with its ack exactly once and forgets it', async () => {
    const outbox = new Outbox();
    const sent = outbox.add(frame('a'));
    expect(outbox.confirm(ack('a', 7))).toBe(true);
    expect(outbox.confirm(ack('a', 7))).toBe(false);
    await expect(sent).resolves.toMatchObject({ client_msg_id: 'a', seq: 7 });
    expect(outbox.size).toBe(0);
  });

  it('ignores acks for sends it does not hold, including anonymous ones', () => {
    const outbox = new Outbox();
    void outbox.add(frame('a'));
    expect(outbox.confirm(ack('other'))).toBe(false);
    expect(outbox.confirm(ack(null))).toBe(false);
    expect(outbox.has('a')).toBe(true);
  });

  it('rejects one send, or all of them', async () => {
    const outbox = new Outbox();
    const a = outbox.add(frame('a'));
    const b = outbox.add(frame('b'));
    const c = outbox.add(frame('c'));
    expect(outbox.fail('a', new Error('refused'))).toBe(true);
    expect(outbox.fail('a', new Error('again'))).toBe(false);
    outbox.failAll(new Error('closed'));
    await expect(a).rejects.toThrow('refused');
    await expect(b).rejects.toThrow('closed');
    await expect(c).rejects.toThrow('closed');
    expect(outbox.size).toBe(0);
  });

  it('counts retries per send, for the backoff', () => {
    const outbox = new Outbox();
    void outbox.add(frame('a'));
    void outbox.add(frame('b'));
    expect([outbox.countRetry('a'), outbox.countRetry('a'), outbox.countRetry('b')]).toEqual([0, 1, 0]);
  });

  it('names the send with the largest frame, measured in UTF-8 bytes', () => {
    const outbox = new Outbox();
    expect(outbox.largest()).toBeUndefined();
    void outbox.add(frame('ascii', 'x'.repeat(30)));
    void outbox.add(frame('emoji', '😀'.repeat(10)));
    void outbox.add(frame('short', 'x'));
    expect(outbox.largest()).toBe('emoji');
  });
});
