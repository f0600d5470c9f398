import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room-command';
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
import { MAX_REACTIONS_PER_USER } from './react';

const BOBS = pastMessageId(1, 'bob');

const react = (actor: string, emoji: string, action: 'add' | 'remove' = 'add', messageId = BOBS) =>
  as(
    actor,
    { type: 'ReactToMessage', data: { room_id: ROOM, message_id: messageId, emoji, action } },
    { decided_at: T1 },
  );

const about = (user: string, emoji: string) => ({
  room_id: ROOM,
  message_id: BOBS,
  seq: 1,
  user_id: user,
  emoji,
});
const reactionAdded = (user: string, emoji: string, count: number): RoomEvent => ({
  type: 'ReactionAdded',
  data: { ...about(user, emoji), count, reacted_at: T1 },
});
const reactionRemoved = (user: string, emoji: string, count: number): RoomEvent => ({
  type: 'ReactionRemoved',
  data: { ...about(user, emoji), count, removed_at: T1 },
});

const decided = (...events: RoomEvent[]) => ({ ok: true, value: events });
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

describe('ReactToMessage', () => {
  const past = [...publicRoom('alice', 'bob', 'carol'), messageSent(1, 'bob')];

  it('adds a reaction, counting the users who gave that emoji', () => {
    expect(given(roomDecider, past)(react('carol', '👍'))).toEqual(decided(reactionAdded('carol', '👍', 1)));
    expect(given(roomDecider, [...past, reactionAdded('carol', '👍', 1)])(react('alice', '👍'))).toEqual(
      decided(reactionAdded('alice', '👍', 2)),
    );
  });

  it('counts a user once per emoji: adding again decides nothing', () => {
    expect(given(roomDecider, [...past, reactionAdded('carol', '👍', 1)])(react('carol', '👍'))).toEqual(
      decided(),
    );
  });

  it('removes a reaction given, with the count left', () => {
    const reacted = [...past, reactionAdded('carol', '👍', 1), reactionAdded('alice', '👍', 2)];
    expect(given(roomDecider, reacted)(react('carol', '👍', 'remove'))).toEqual(
      decided(reactionRemoved('carol', '👍', 1)),
    );
  });

  it('decides nothing when removing a reaction not given, or already removed', () => {
    expect(given(roomDecider, past)(react('carol', '👍', 'remove'))).toEqual(decided());
    const removed = [...past, reactionAdded('carol', '👍', 1), reactionRemoved('carol', '👍', 0)];
    expect(given(roomDecider, removed)(react('carol', '👍', 'remove'))).toEqual(decided());
    expect(given(roomDecider, removed)(react('carol', '👍'))).toEqual(
      decided(reactionAdded('carol', '👍', 1)),
    );
  });

  it(`allows a user ${MAX_REACTIONS_PER_USER} distinct emoji on one message, and no more`, () => {
    const codes = Array.from({ length: MAX_REACTIONS_PER_USER }, (_, index) => `:e${index}:`);
    const full = [...past, ...codes.map((code) => reactionAdded('carol', code, 1))];
    expect(given(roomDecider, full)(react('carol', ':one_more:'))).toEqual(refused('too_many_reactions'));
    expect(given(roomDecider, full)(react('carol', codes[0]!))).toEqual(decided());
    expect(given(roomDecider, full)(react('alice', ':one_more:'))).toEqual(
      decided(reactionAdded('alice', ':one_more:', 1)),
    );
    const one = [...full, reactionRemoved('carol', codes[0]!, 0)];
    expect(given(roomDecider, one)(react('carol', ':one_more:'))).toEqual(
      decided(reactionAdded('carol', ':one_more:', 1)),
    );
  });

  it('takes one emoji — ZWJ family, flag, skin tone — or a short code, else invalid_emoji', () => {
    for (const emoji of ['👨‍👩‍👧', '🇯🇵', '👍🏿', ':tada:', `:${'x'.repeat(64)}:`]) {
      expect(given(roomDecider, past)(react('carol', emoji))).toEqual(
        decided(reactionAdded('carol', emoji, 1)),
      );
    }
    for (const emoji of ['ab', '👍👎', '', `:${'x'.repeat(65)}:`]) {
      expect(given(roomDecider, past)(react('carol', emoji))).toEqual(refused('invalid_emoji'));
    }
  });

  it('refuses unknown and deleted messages alike', () => {
    expect(given(roomDecider, past)(react('carol', '👍', 'add', 'msg_nope'))).toEqual(
      refused('message_not_found'),
    );
    const deleted = [...past, reactionAdded('carol', '👍', 1), messageDeleted(1, 'bob')];
    expect(given(roomDecider, deleted)(react('alice', '👍'))).toEqual(refused('message_not_found'));
    expect(given(roomDecider, deleted)(react('carol', '👍', 'remove'))).toEqual(refused('message_not_found'));
  });

  it('forgets the reactions of a deleted message', () => {
    const deleted = [...past, reactionAdded('carol', '👍', 1), messageDeleted(1, 'bob')];
    expect(given(roomDecider, deleted)(react('alice', '👍')).ok).toBe(false);
    const state = deleted.reduce(roomDecider.evolve, roomDecider.initialState);
    expect(state.reactions.has(BOBS)).toBe(false);
  });

  it('is for members: not_member in a public room, room_not_found in a private or missing one', () => {
    expect(given(roomDecider, past)(react('mallory', '👍'))).toEqual(refused('not_member'));
    expect(given(roomDecider, [...past, memberLeft('carol')])(react('carol', '👍'))).toEqual(
      refused('not_member'),
    );
    const secret = [...privateRoom('alice', 'bob'), messageSent(1, 'bob')];
    expect(given(roomDecider, secret)(react('mallory', '👍'))).toEqual(refused('room_not_found'));
    expect(given(roomDecider, [])(react('bob', '👍'))).toEqual(refused('room_not_found'));
    expect(given(roomDecider, [...past, roomDeleted('alice')])(react('bob', '👍'))).toEqual(
      refused('room_not_found'),
    );
  });
});
