import type { ServerFrameOf } from '@chat/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatClient } from './chat-client';
import { fakeWebSocket } from './testing/fake-websocket';

/** Lets pending promise callbacks (the token provider, the socket's creation) run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

const reactionAck = (clientMsgId: string, count: number): ServerFrameOf<'reaction_ack'> => ({
  type: 'reaction_ack',
  client_msg_id: clientMsgId,
  room_id: 'general',
  message_id: 'm1',
  emoji: '👍',
  action: 'add',
  count,
});

describe('ChatClient reactions', () => {
  let ws: ReturnType<typeof fakeWebSocket>;
  let client: ChatClient;
  const start = () => {
    client = new ChatClient({
      url: 'ws://chat.test/ws',
      token: 'token',
      WebSocket: ws.WebSocket,
      backoff: { initialMs: 100, jitter: 'none' },
    });
    return client;
  };
  const connected = async () => {
    const opened = start().connect();
    await settle();
    ws.latest().authenticate();
    await opened;
    return client;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    ws = fakeWebSocket();
  });
  afterEach(() => {
    client.close();
    vi.useRealTimers();
  });

  it('writes react and unreact frames and resolves each with its answer', async () => {
    await connected();
    const added = client.react('general', 'm1', '👍');
    const removed = client.unreact('general', 'm1', ':tada:');
    const [add, remove] = ws.latest().sentOfType('react');
    expect(add).toMatchObject({ room_id: 'general', message_id: 'm1', emoji: '👍', action: 'add' });
    expect(remove).toMatchObject({ emoji: ':tada:', action: 'remove' });
    ws.latest().deliver(reactionAck(add!.client_msg_id!, 2));
    ws.latest().deliver({ ...reactionAck(remove!.client_msg_id!, 0), emoji: ':tada:', action: 'remove' });
    await expect(added).resolves.toMatchObject({ emoji: '👍', count: 2 });
    await expect(removed).resolves.toMatchObject({ emoji: ':tada:', action: 'remove', count: 0 });
  });

  it('writes a reaction made offline once connected, and again after a reconnect until answered', async () => {
    start();
    const added = client.react('general', 'm1', '👍');
    const opened = client.connect();
    await settle();
    ws.latest().authenticate();
    await opened;
    const [first] = ws.latest().sentOfType('react');
    ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    ws.latest().authenticate();
    const [again] = ws.latest().sentOfType('react');
    expect(again).toEqual(first);
    ws.latest().deliver(reactionAck(again!.client_msg_id!, 1));
    await expect(added).resolves.toMatchObject({ count: 1 });
  });

  it('retries a reaction refused for a passing reason, and rejects one refused for good', async () => {
    await connected();
    const busy = client.react('general', 'm1', '👍');
    const invalid = client.react('general', 'm1', 'ab');
    const [one, two] = ws.latest().sentOfType('react');
    ws.latest().deliver({
      type: 'error',
      code: 'rate_limited',
      message: 'Slow down.',
      ref: one!.client_msg_id!,
    });
    ws.latest().deliver({ type: 'error', code: 'invalid_emoji', message: 'No.', ref: two!.client_msg_id! });
    await expect(invalid).rejects.toMatchObject({ code: 'invalid_emoji' });
    await vi.advanceTimersByTimeAsync(100);
    expect(
      ws
        .latest()
        .sentOfType('react')
        .map((frame) => frame.emoji),
    ).toEqual(['👍', 'ab', '👍']);
    ws.latest().deliver(reactionAck(one!.client_msg_id!, 1));
    await expect(busy).resolves.toMatchObject({ count: 1 });
  });

  it('passes reaction frames to the app and rejects pending reactions on close', async () => {
    await connected();
    const seen: unknown[] = [];
    client.on('reaction', (reaction) => seen.push(reaction));
    const reaction = {
      room_id: 'general',
      message_id: 'm1',
      seq: 1,
      user_id: 'bob',
      emoji: '👍',
      action: 'add' as const,
      count: 3,
    };
    ws.latest().deliver({ type: 'reaction', ...reaction });
    expect(seen).toEqual([reaction]);
    const pending = client.react('general', 'm1', '👍');
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
  });
});
