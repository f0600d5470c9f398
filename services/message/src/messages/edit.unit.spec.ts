import type { Rejection, Result } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { DecisionContext, RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import {
  as,
  memberLeft,
  messageDeleted,
  messageEdited,
  messageSent,
  pastMessageId,
  privateRoom,
  publicRoom,
  ROOM,
  roomDeleted,
  T0,
  T1,
} from '../rooms/room.fixtures';
import { originalEdit } from './edit';
import { editIdFor } from './message-id';
import { RECENT_EDITS_CAPACITY } from './recent-edits';

const edit = (actor: string, messageId: string, content: string, overrides: Partial<DecisionContext> = {}) =>
  as(
    actor,
    { type: 'EditMessage', data: { room_id: ROOM, message_id: messageId, content } },
    { decided_at: T1, ...overrides },
  );
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });
const editedData = (decided: Result<RoomEvent[], Rejection>) => {
  const event = decided.ok ? decided.value[0] : undefined;
  if (event?.type !== 'MessageEdited') throw new Error(`no edit: ${JSON.stringify(decided)}`);
  return event.data;
};

describe('EditMessage', () => {
  const past = [...publicRoom('alice', 'bob'), messageSent(1, 'bob'), messageSent(2, 'alice')];
  const bobs = pastMessageId(1, 'bob');

  it('rewrites the sender’s message in place: same id and seq, an edit id from the command, the decision time', () => {
    expect(given(roomDecider, past)(edit('bob', bobs, 'fixed', { command_id: 'e-1' }))).toEqual({
      ok: true,
      value: [
        {
          type: 'MessageEdited',
          data: {
            room_id: ROOM,
            message_id: bobs,
            seq: 1,
            content: 'fixed',
            edit_id: editIdFor(ROOM, 'bob', 'e-1'),
            edited_at: T1,
          },
        },
      ],
    });
  });

  it('may edit a message again, and leaves the room’s seq where it was', () => {
    const twice = [...past, messageEdited(1, 'bob', 'e-1', 'first fix')];
    expect(editedData(given(roomDecider, twice)(edit('bob', bobs, 'second fix'))).content).toBe('second fix');
    const state = twice.reduce(roomDecider.evolve, roomDecider.initialState);
    expect(state.lastSeq).toBe(2);
  });

  describe('a repeated command', () => {
    const edited = [...past, messageEdited(1, 'bob', 'e-1', 'first fix')];
    const repeat = edit('bob', bobs, 'first fix', { command_id: 'e-1' });

    it('decides nothing, and its original outcome is remembered', () => {
      expect(given(roomDecider, edited)(repeat)).toEqual({ ok: true, value: [] });
      const state = edited.reduce(roomDecider.evolve, roomDecider.initialState);
      expect(originalEdit(repeat, state)).toEqual({ message_id: bobs, seq: 1, edited_at: T0 });
    });

    it('does not undo a later edit, nor fail after the sender left', () => {
      const later = [...edited, messageEdited(1, 'bob', 'e-2', 'second fix'), memberLeft('bob')];
      expect(given(roomDecider, later)(repeat)).toEqual({ ok: true, value: [] });
    });

    it(`is forgotten once ${RECENT_EDITS_CAPACITY} later edits were made`, () => {
      const later = (count: number) =>
        Array.from({ length: count }, (_, index) => messageEdited(2, 'alice', `later-${index}`));
      expect(given(roomDecider, [...edited, ...later(RECENT_EDITS_CAPACITY - 1)])(repeat)).toEqual({
        ok: true,
        value: [],
      });
      const decided = given(roomDecider, [...edited, ...later(RECENT_EDITS_CAPACITY)])(repeat);
      expect(editedData(decided).content).toBe('first fix');
    });
  });

  describe('who may edit', () => {
    it('refuses anyone but the sender, the room owner and administrators included', () => {
      expect(given(roomDecider, past)(edit('alice', bobs, 'mine now'))).toEqual(refused('forbidden'));
      expect(given(roomDecider, past)(edit('root', bobs, 'mine now', { actor_is_admin: true }))).toEqual(
        refused('not_member'),
      );
    });

    it('refuses a sender who left the room', () => {
      expect(given(roomDecider, [...past, memberLeft('bob')])(edit('bob', bobs, 'late'))).toEqual(
        refused('not_member'),
      );
    });

    it('does not reveal a private room, or its messages, to a non-member', () => {
      const secret = [...privateRoom('alice', 'bob'), messageSent(1, 'bob')];
      expect(given(roomDecider, [...secret, memberLeft('bob')])(edit('bob', bobs, 'x'))).toEqual(
        refused('room_not_found'),
      );
      expect(given(roomDecider, secret)(edit('mallory', bobs, 'x'))).toEqual(refused('room_not_found'));
    });

    it('does not find a missing or deleted room', () => {
      expect(given(roomDecider, [])(edit('bob', bobs, 'x'))).toEqual(refused('room_not_found'));
      expect(given(roomDecider, [...past, roomDeleted('alice')])(edit('bob', bobs, 'x'))).toEqual(
        refused('room_not_found'),
      );
    });
  });

  describe('which message', () => {
    it('refuses an id the room never had', () => {
      expect(given(roomDecider, past)(edit('bob', 'msg_nope', 'x'))).toEqual(refused('message_not_found'));
    });

    it('refuses a deleted message', () => {
      expect(given(roomDecider, [...past, messageDeleted(1, 'bob')])(edit('bob', bobs, 'x'))).toEqual(
        refused('message_deleted'),
      );
    });
  });

  describe('content', () => {
    it('is cleaned and measured as a new message’s is (limit 20 here)', () => {
      expect(editedData(given(roomDecider, past)(edit('bob', bobs, 'cafe\u0301\u0000'))).content).toBe(
        'caf\u00e9',
      );
      expect(given(roomDecider, past)(edit('bob', bobs, ' \n '))).toEqual(refused('content_empty'));
      expect(given(roomDecider, past)(edit('bob', bobs, 'a'.repeat(21)))).toEqual(
        refused('content_too_long'),
      );
    });
  });
});
