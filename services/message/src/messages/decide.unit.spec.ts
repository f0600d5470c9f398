import type { Rejection, Result } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { DecisionContext, RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import {
  as,
  memberJoined,
  memberLeft,
  messageSent,
  privateRoom,
  publicRoom,
  ROOM,
  roomDeleted,
  T0,
  T1,
} from '../rooms/room.fixtures';
import { originalSend } from './decide';
import { messageIdFor } from './message-id';
import { RECENT_SENDS_CAPACITY } from './recent-sends';

const send = (actor: string, content: string, overrides: Partial<DecisionContext> = {}) =>
  as(
    actor,
    {
      type: 'SendMessage',
      data: { room_id: ROOM, content, message_type: 'text', client_msg_id: 'client-1' },
    },
    { decided_at: T1, ...overrides },
  );
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });
const sentData = (decided: Result<RoomEvent[], Rejection>) => {
  const event = decided.ok ? decided.value[0] : undefined;
  if (event?.type !== 'MessageSent') throw new Error(`no message sent: ${JSON.stringify(decided)}`);
  return event.data;
};

describe('SendMessage', () => {
  it('appends a member’s message with the next seq, an id derived from the command and the decision time', () => {
    const command = send('bob', 'hello', { command_id: 'c-42' });
    expect(given(roomDecider, [...publicRoom('alice', 'bob'), messageSent(1, 'alice')])(command)).toEqual({
      ok: true,
      value: [
        {
          type: 'MessageSent',
          data: {
            room_id: ROOM,
            message_id: messageIdFor(ROOM, 'bob', 'c-42'),
            seq: 2,
            sender_id: 'bob',
            content: 'hello',
            message_type: 'text',
            client_msg_id: 'client-1',
            created_at: T1,
          },
        },
      ],
    });
  });

  it('numbers many messages 1, 2, 3… with no gap and no repeat', () => {
    let state = publicRoom('alice', 'bob').reduce(roomDecider.evolve, roomDecider.initialState);
    const seqs: number[] = [];
    for (let index = 0; index < 2_000; index++) {
      const sent = sentData(roomDecider.decide(send(index % 2 ? 'alice' : 'bob', `message ${index}`), state));
      seqs.push(sent.seq);
      state = roomDecider.evolve(state, { type: 'MessageSent', data: sent });
    }
    expect(seqs).toEqual(Array.from({ length: 2_000 }, (_, index) => index + 1));
  });

  it('decides the same message id when the same command is decided again', () => {
    const command = send('bob', 'hello');
    const past = publicRoom('alice', 'bob');
    expect(sentData(given(roomDecider, past)(command)).message_id).toBe(
      sentData(given(roomDecider, past)(command)).message_id,
    );
  });

  describe('a repeated command', () => {
    const past = [...publicRoom('alice', 'bob'), messageSent(1, 'bob', 'c-1'), messageSent(2, 'alice')];
    const repeat = send('bob', 'hello again', { command_id: 'c-1' });

    it('decides nothing, and its original outcome is remembered', () => {
      expect(given(roomDecider, past)(repeat)).toEqual({ ok: true, value: [] });
      const state = past.reduce(roomDecider.evolve, roomDecider.initialState);
      expect(originalSend(repeat, state)).toEqual({
        message_id: messageIdFor(ROOM, 'bob', 'c-1'),
        seq: 1,
        created_at: T0,
        client_msg_id: null,
      });
    });

    it('is recognised even after the sender left the room', () => {
      expect(given(roomDecider, [...past, memberLeft('bob')])(repeat)).toEqual({ ok: true, value: [] });
    });

    it('is a new message when another user reuses the command id', () => {
      expect(sentData(given(roomDecider, past)(send('alice', 'mine', { command_id: 'c-1' }))).seq).toBe(3);
    });

    it(`is forgotten once ${RECENT_SENDS_CAPACITY} later messages have been sent`, () => {
      const later = (count: number) =>
        Array.from({ length: count }, (_, index) => messageSent(index + 2, 'alice'));
      expect(given(roomDecider, [...past.slice(0, -1), ...later(RECENT_SENDS_CAPACITY - 1)])(repeat)).toEqual(
        {
          ok: true,
          value: [],
        },
      );
      const decided = given(roomDecider, [...past.slice(0, -1), ...later(RECENT_SENDS_CAPACITY)])(repeat);
      expect(sentData(decided).seq).toBe(RECENT_SENDS_CAPACITY + 2);
    });
  });

  describe('who may send', () => {
    it('joins a non-member to a public room with their first message', () => {
      for (const past of [publicRoom('alice'), [...publicRoom('alice', 'bob'), memberLeft('bob')]]) {
        const decided = given(roomDecider, past)(send('bob', 'hi'));
        expect(decided).toEqual({
          ok: true,
          value: [memberJoined('bob', 'member', 'bob', T1), expect.objectContaining({ type: 'MessageSent' })],
        });
      }
    });

    it('does not join anyone with a message that is refused', () => {
      expect(given(roomDecider, publicRoom('alice'))(send('bob', ' '))).toEqual(refused('content_empty'));
    });

    it('does not reveal a private room to a non-member', () => {
      expect(given(roomDecider, privateRoom('alice'))(send('bob', 'hi'))).toEqual(refused('room_not_found'));
      expect(
        given(roomDecider, [...privateRoom('alice', 'bob'), memberLeft('bob')])(send('bob', 'hi')),
      ).toEqual(refused('room_not_found'));
    });

    it('takes no message from an administrator outside a private room', () => {
      expect(given(roomDecider, privateRoom('alice'))(send('root', 'hi', { actor_is_admin: true }))).toEqual(
        refused('not_member'),
      );
    });

    it('does not find a missing or deleted room', () => {
      expect(given(roomDecider, [])(send('bob', 'hi'))).toEqual(refused('room_not_found'));
      expect(given(roomDecider, [...publicRoom('bob'), roomDeleted('bob')])(send('bob', 'hi'))).toEqual(
        refused('room_not_found'),
      );
    });
  });

  describe('content', () => {
    const decide = (content: string) => given(roomDecider, publicRoom('bob'))(send('bob', content));

    it('drops ASCII control characters but keeps line feeds and tabs', () => {
      expect(sentData(decide('a\u0000b\u0007c\r\n\td\u001b\u007f')).content).toBe('abc\n\td');
    });

    it('is stored in Unicode normal form C', () => {
      expect(sentData(decide('cafe\u0301')).content).toBe('caf\u00e9');
    });

    it('refuses what is empty once trimmed and cleaned', () => {
      for (const content of ['', '   ', '\n\t ', '\u0000\u0001'])
        expect(decide(content)).toEqual(refused('content_empty'));
    });

    it('counts the limit (20 here) in code points', () => {
      expect(sentData(decide('a'.repeat(20))).content).toHaveLength(20);
      expect(sentData(decide('😀'.repeat(20))).content).toBe('😀'.repeat(20));
      expect(decide('a'.repeat(21))).toEqual(refused('content_too_long'));
      expect(decide('😀'.repeat(21))).toEqual(refused('content_too_long'));
    });

    it('measures the content after cleaning it', () => {
      expect(sentData(decide(`${'a'.repeat(20)}\u0000\u0000`)).content).toBe('a'.repeat(20));
    });
  });

  it('never stamps a message earlier than the one before it', () => {
    const past = [...publicRoom('bob'), messageSent(1, 'bob', 'c-1', T1)];
    expect(sentData(given(roomDecider, past)(send('bob', 'late clock', { decided_at: T0 }))).created_at).toBe(
      T1,
    );
  });
});

describe('SendMessage mentions', () => {
  it('given members alice, bob and carol, when bob mentions carol and a stranger, then the message mentions carol only', () => {
    const decided = given(
      roomDecider,
      publicRoom('alice', 'bob', 'carol'),
    )(send('bob', 'hi @carol and @dave'));
    expect(sentData(decided).mentions).toEqual(['carol']);
  });

  it('given a member who left, when mentioned, then the message does not mention them', () => {
    const decided = given(roomDecider, [...publicRoom('alice', 'bob'), memberLeft('bob')])(
      send('alice', '@bob, are you there?'),
    );
    expect(sentData(decided)).not.toHaveProperty('mentions');
  });

  it('lists a member mentioned twice once, and ids with dots and dashes up to the sentence’s end', () => {
    const decided = given(
      roomDecider,
      publicRoom('alice', 'mary.jane', 'x-ray'),
    )(send('alice', '@x-ray: ask @mary.jane. @x-ray!', { max_message_length: 100 }));
    expect(sentData(decided).mentions).toEqual(['x-ray', 'mary.jane']);
  });
});
