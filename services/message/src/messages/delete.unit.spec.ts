import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { DecisionContext } from '../room-command';
import { roomDecider } from '../room-decider';
import {
  as,
  memberLeft,
  messageDeleted,
  messageSent,
  pastMessageId,
  privateRoom,
  publicRoom,
  ROOM,
  roomDeleted,
  T1,
} from '../rooms/room.fixtures';

const remove = (actor: string, messageId: string, overrides: Partial<DecisionContext> = {}) =>
  as(
    actor,
    { type: 'DeleteMessage', data: { room_id: ROOM, message_id: messageId } },
    { decided_at: T1, ...overrides },
  );
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });
const deletedBy = (actor: string, seq = 1, sender = 'bob') => ({
  ok: true,
  value: [
    {
      type: 'MessageDeleted',
      data: {
        room_id: ROOM,
        message_id: pastMessageId(seq, sender),
        seq,
        deleted_by: actor,
        deleted_at: T1,
      },
    },
  ],
});

describe('DeleteMessage', () => {
  const past = [...publicRoom('alice', 'bob', 'carol'), messageSent(1, 'bob'), messageSent(2, 'carol')];
  const bobs = pastMessageId(1, 'bob');

  it('deletes the sender’s own message, keeping its seq for the tombstone', () => {
    expect(given(roomDecider, past)(remove('bob', bobs))).toEqual(deletedBy('bob'));
  });

  it('lets the room owner and an administrator delete anyone’s message', () => {
    expect(given(roomDecider, past)(remove('alice', bobs))).toEqual(deletedBy('alice'));
    expect(given(roomDecider, past)(remove('root', bobs, { actor_is_admin: true }))).toEqual(
      deletedBy('root'),
    );
  });

  it('refuses another member, and a sender who left the room', () => {
    expect(given(roomDecider, past)(remove('carol', bobs))).toEqual(refused('forbidden'));
    expect(given(roomDecider, [...past, memberLeft('bob')])(remove('bob', bobs))).toEqual(
      refused('forbidden'),
    );
  });

  it('decides nothing for a message already deleted: a repeat has the effect of one', () => {
    const deleted = [...past, messageDeleted(1, 'bob')];
    expect(given(roomDecider, deleted)(remove('bob', bobs))).toEqual({ ok: true, value: [] });
    expect(given(roomDecider, deleted)(remove('alice', bobs))).toEqual({ ok: true, value: [] });
    expect(given(roomDecider, deleted)(remove('carol', bobs))).toEqual(refused('forbidden'));
  });

  it('refuses an id the room never had', () => {
    expect(given(roomDecider, past)(remove('alice', 'msg_nope'))).toEqual(refused('message_not_found'));
  });

  it('does not reveal a private room, or its messages, to a non-member', () => {
    const secret = [...privateRoom('alice', 'bob'), messageSent(1, 'bob')];
    expect(given(roomDecider, secret)(remove('mallory', bobs))).toEqual(refused('room_not_found'));
    expect(given(roomDecider, secret)(remove('root', bobs, { actor_is_admin: true }))).toEqual(
      deletedBy('root'),
    );
  });

  it('does not find a missing or deleted room', () => {
    expect(given(roomDecider, [])(remove('bob', bobs))).toEqual(refused('room_not_found'));
    expect(given(roomDecider, [...past, roomDeleted('alice')])(remove('alice', bobs))).toEqual(
      refused('room_not_found'),
    );
  });
});
