import { reject, type Rejection } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import { MAX_SUBSCRIPTIONS_PER_USER, type UserCommand } from './commands';
import { userDecider } from './decide';
import type { UserEvent } from './user';

const T0 = '2024-05-01T10:00:00.000Z';
const context = { actor_id: 'bob', decided_at: T0 };
const keys = { p256dh: 'BPk', auth: 'auth' };
const decidedOn = (past: UserEvent[]) => given(userDecider, past);
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

const subscribe = (id = 'sub_1'): UserCommand => ({
  type: 'Subscribe',
  data: { subscription_id: id, endpoint: `https://push.example/${id}`, keys },
  context,
});
const subscribed = (id = 'sub_1'): UserEvent => ({
  type: 'PushSubscribed',
  data: {
    user_id: 'bob',
    subscription_id: id,
    endpoint: `https://push.example/${id}`,
    keys,
    subscribed_at: T0,
  },
});
const unsubscribe = (reason: 'unsubscribed' | 'gone', id = 'sub_1'): UserCommand => ({
  type: 'Unsubscribe',
  data: { subscription_id: id, reason },
  context,
});
const markRead = (seq: number, room_refusal: Rejection | null = null, last_seq = 10): UserCommand => ({
  type: 'MarkRead',
  data: { room_id: 'room-1', seq },
  context: { ...context, room_refusal, last_seq },
});
const readMarked = (seq: number, receipt = true): UserEvent => ({
  type: 'ReadMarked',
  data: { user_id: 'bob', room_id: 'room-1', seq, marked_at: T0, receipt },
});
const setReadReceipts = (read_receipts: boolean): UserCommand => ({
  type: 'SetReadReceipts',
  data: { read_receipts },
  context,
});
const readReceiptsSet = (read_receipts: boolean): UserEvent => ({
  type: 'ReadReceiptsSet',
  data: { user_id: 'bob', read_receipts, set_at: T0 },
});

describe('Subscribe', () => {
  it('given no subscription, when subscribing, then it is subscribed', () => {
    expect(decidedOn([])(subscribe())).toEqual({ ok: true, value: [subscribed()] });
  });

  it('given the same subscription, when subscribing again, then nothing new', () => {
    expect(decidedOn([subscribed()])(subscribe())).toEqual({ ok: true, value: [] });
  });

  it('given the most subscriptions a user may have, when subscribing another, then it is refused', () => {
    const past = Array.from({ length: MAX_SUBSCRIPTIONS_PER_USER }, (_, i) => subscribed(`sub_${i}`));
    expect(decidedOn(past)(subscribe('sub_new'))).toEqual(refused('invalid_request'));
  });
});

describe('Unsubscribe', () => {
  it('given a subscription, when its owner removes it, then it is unsubscribed', () => {
    expect(decidedOn([subscribed()])(unsubscribe('unsubscribed'))).toEqual({
      ok: true,
      value: [
        {
          type: 'PushUnsubscribed',
          data: { user_id: 'bob', subscription_id: 'sub_1', reason: 'unsubscribed', unsubscribed_at: T0 },
        },
      ],
    });
  });

  it('given no such subscription, when its owner removes it, then it is not found', () => {
    expect(decidedOn([])(unsubscribe('unsubscribed'))).toEqual(refused('subscription_not_found'));
  });

  it('given a subscription already removed, when the push service says it is gone, then nothing new', () => {
    const removed: UserEvent = {
      type: 'PushUnsubscribed',
      data: { user_id: 'bob', subscription_id: 'sub_1', reason: 'gone', unsubscribed_at: T0 },
    };
    expect(decidedOn([subscribed(), removed])(unsubscribe('gone'))).toEqual({ ok: true, value: [] });
  });
});

describe('MuteRoom / UnmuteRoom', () => {
  const mute: UserCommand = { type: 'MuteRoom', data: { room_id: 'room-1' }, context };
  const unmute: UserCommand = { type: 'UnmuteRoom', data: { room_id: 'room-1' }, context };
  const muted: UserEvent = { type: 'RoomMuted', data: { user_id: 'bob', room_id: 'room-1', muted_at: T0 } };

  it('mutes a room once', () => {
    expect(decidedOn([])(mute)).toEqual({ ok: true, value: [muted] });
    expect(decidedOn([muted])(mute)).toEqual({ ok: true, value: [] });
  });

  it('unmutes only a muted room', () => {
    expect(decidedOn([])(unmute)).toEqual({ ok: true, value: [] });
    expect(decidedOn([muted])(unmute)).toEqual({
      ok: true,
      value: [{ type: 'RoomUnmuted', data: { user_id: 'bob', room_id: 'room-1', unmuted_at: T0 } }],
    });
  });
});

describe('MarkRead', () => {
  it('given nothing read, when a member marks read, then the mark moves', () => {
    expect(decidedOn([])(markRead(3))).toEqual({ ok: true, value: [readMarked(3)] });
  });

  it('given a later mark, when marking an earlier seq, then the mark does not move back', () => {
    expect(decidedOn([readMarked(5)])(markRead(3))).toEqual({ ok: true, value: [] });
    expect(decidedOn([readMarked(5)])(markRead(5))).toEqual({ ok: true, value: [] });
    expect(decidedOn([readMarked(5)])(markRead(6))).toEqual({ ok: true, value: [readMarked(6)] });
  });

  it('refuses a user who is not a member of the room, as the room access rule does', () => {
    const notMember = reject('not_member', 'You are not a member of this room.');
    expect(decidedOn([])(markRead(3, notMember))).toEqual({ ok: false, error: notMember });
  });

  it('given a room whose newest message is 10, when marking 11 read, then it is out of range and nothing moves', () => {
    expect(decidedOn([])(markRead(11, null, 10))).toEqual(refused('seq_out_of_range'));
    expect(decidedOn([])(markRead(10, null, 10))).toEqual({ ok: true, value: [readMarked(10)] });
  });

  it('given a mark received before the receipt of an earlier seq, then the receipt never moves back', () => {
    expect(decidedOn([readMarked(7)])(markRead(4))).toEqual({ ok: true, value: [] });
  });

  it('given read receipts turned off, when marking read, then the mark moves but is not shown to others', () => {
    expect(decidedOn([readReceiptsSet(false)])(markRead(3))).toEqual({
      ok: true,
      value: [readMarked(3, false)],
    });
  });

  it('given read receipts turned off and on again, when marking read, then the receipt is shown', () => {
    expect(decidedOn([readReceiptsSet(false), readReceiptsSet(true)])(markRead(3))).toEqual({
      ok: true,
      value: [readMarked(3, true)],
    });
  });
});

describe('SetReadReceipts', () => {
  it('given receipts on (the default), when turning them off, then they are off; off again decides nothing', () => {
    expect(decidedOn([])(setReadReceipts(false))).toEqual({ ok: true, value: [readReceiptsSet(false)] });
    expect(decidedOn([readReceiptsSet(false)])(setReadReceipts(false))).toEqual({ ok: true, value: [] });
  });

  it('given receipts on, when turning them on, then nothing new', () => {
    expect(decidedOn([])(setReadReceipts(true))).toEqual({ ok: true, value: [] });
  });
});

describe('Webhook', () => {
  it('registers, replaces and removes a webhook; removing none decides nothing', () => {
    const register: UserCommand = {
      type: 'RegisterWebhook',
      data: { url: 'https://h.example', secret: 's' },
      context,
    };
    const registered: UserEvent = {
      type: 'WebhookRegistered',
      data: { user_id: 'bob', url: 'https://h.example', secret: 's', registered_at: T0 },
    };
    const remove: UserCommand = { type: 'RemoveWebhook', data: {}, context };
    expect(decidedOn([])(register)).toEqual({ ok: true, value: [registered] });
    expect(decidedOn([registered])(remove)).toEqual({
      ok: true,
      value: [{ type: 'WebhookRemoved', data: { user_id: 'bob', removed_at: T0 } }],
    });
    expect(decidedOn([])(remove)).toEqual({ ok: true, value: [] });
  });
});
