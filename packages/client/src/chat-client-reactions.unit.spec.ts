import type { ServerFrameOf } from './wire';
import { describe, expect, it, vi } from 'vitest';
import { clientOnFakeSocket, settle } from './testing/client-on-fake-socket';

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
  const sdk = clientOnFakeSocket();

  it('writes react and unreact frames and resolves each with its answer', async () => {
    await sdk.connected();
    const added = sdk.client.react('general', 'm1', '👍');
    const removed = sdk.client.unreact('general', 'm1', ':tada:');
    const [add, remove] = sdk.ws.latest().sentOfType('react');
    expect(add).toMatchObject({ room_id: 'general', message_id: 'm1', emoji: '👍', action: 'add' });
    expect(remove).toMatchObject({ emoji: ':tada:', action: 'remove' });
    sdk.ws.latest().deliver(reactionAck(add!.client_msg_id!, 2));
    sdk.ws.latest().deliver({ ...reactionAck(remove!.client_msg_id!, 0), emoji: ':tada:', action: 'remove' });
    await expect(added).resolves.toMatchObject({ emoji: '👍', count: 2 });
    await expect(removed).resolves.toMatchObject({ emoji: ':tada:', action: 'remove', count: 0 });
  });

  it('writes a reaction made offline once connected, and again after a reconnect until answered', async () => {
    sdk.start();
    const added = sdk.client.react('general', 'm1', '👍');
    const opened = sdk.client.connect();
    await settle();
    sdk.ws.latest().authenticate();
    await opened;
    const [first] = sdk.ws.latest().sentOfType('react');
    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    const [again] = sdk.ws.latest().sentOfType('react');
    expect(again).toEqual(first);
    sdk.ws.latest().deliver(reactionAck(again!.client_msg_id!, 1));
    await expect(added).resolves.toMatchObject({ count: 1 });
  });

  it('retries a reaction refused for a passing reason, and rejects one refused for good', async () => {
    await sdk.connected();
    const busy = sdk.client.react('general', 'm1', '👍');
    const invalid = sdk.client.react('general', 'm1', 'ab');
    const [one, two] = sdk.ws.latest().sentOfType('react');
    sdk.ws.latest().deliver({
      type: 'error',
      code: 'rate_limited',
      message: 'Slow down.',
      ref: one!.client_msg_id!,
    });
    sdk.ws
      .latest()
      .deliver({ type: 'error', code: 'invalid_emoji', message: 'No.', ref: two!.client_msg_id! });
    await expect(invalid).rejects.toMatchObject({ code: 'invalid_emoji' });
    await vi.advanceTimersByTimeAsync(100);
    expect(
      sdk.ws
        .latest()
        .sentOfType('react')
        .map((frame) => frame.emoji),
    ).toEqual(['👍', 'ab', '👍']);
    sdk.ws.latest().deliver(reactionAck(one!.client_msg_id!, 1));
    await expect(busy).resolves.toMatchObject({ count: 1 });
  });

  it('passes reaction frames to the app and rejects pending reactions on close', async () => {
    await sdk.connected();
    const seen: unknown[] = [];
    sdk.client.on('reaction', (reaction) => seen.push(reaction));
    const reaction = {
      room_id: 'general',
      message_id: 'm1',
      seq: 1,
      user_id: 'bob',
      emoji: '👍',
      action: 'add' as const,
      count: 3,
    };
    sdk.ws.latest().deliver({ type: 'reaction', ...reaction });
    expect(seen).toEqual([reaction]);
    const pending = sdk.client.react('general', 'm1', '👍');
    sdk.client.close();
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
  });
});
