import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../messages/message-id';
import type { RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import { as, messageSent, publicRoom, ROOM, T1 } from '../rooms/room.fixtures';
import { THREAD_PARTICIPANTS_CAPACITY } from './thread';

const reply = (actor: string, threadId: string, commandId: string) =>
  as(
    actor,
    {
      type: 'SendMessage',
      data: {
        room_id: ROOM,
        content: 'a reply',
        message_type: 'text',
        client_msg_id: null,
        thread_id: threadId,
      },
    },
    { decided_at: T1, command_id: commandId },
  );
const remove = (actor: string, messageId: string) =>
  as(actor, { type: 'DeleteMessage', data: { room_id: ROOM, message_id: messageId } }, { decided_at: T1 });
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

const ROOT = messageIdFor(ROOM, 'alice', 'past-1');
const REPLY = messageIdFor(ROOM, 'bob', 'r-1');
const room = [...publicRoom('alice', 'bob', 'carol'), messageSent(1, 'alice')];

/** The events a decision appended, applied: the past of the next specification. */
const after = (past: RoomEvent[], command: Parameters<typeof roomDecider.decide>[0]): RoomEvent[] => {
  const decided = given(roomDecider, past)(command);
  if (!decided.ok) throw new Error(JSON.stringify(decided.error));
  return [...past, ...decided.value];
};

describe('a reply', () => {
  it('is the room’s next message, names its root, and updates the root’s thread summary', () => {
    expect(given(roomDecider, room)(reply('bob', ROOT, 'r-1'))).toEqual({
      ok: true,
      value: [
        {
          type: 'MessageSent',
          data: expect.objectContaining({ message_id: REPLY, seq: 2, sender_id: 'bob', thread_id: ROOT }),
        },
        {
          type: 'ThreadUpdated',
          data: {
            room_id: ROOM,
            message_id: ROOT,
            seq: 1,
            thread: { reply_count: 1, last_reply_at: T1, participants: ['bob'] },
          },
        },
      ],
    });
  });

  it('to a reply joins the same root', () => {
    const past = after(room, reply('bob', ROOT, 'r-1'));
    const decided = given(roomDecider, past)(reply('carol', REPLY, 'r-2'));
    expect(decided).toEqual({
      ok: true,
      value: [
        { type: 'MessageSent', data: expect.objectContaining({ seq: 3, thread_id: ROOT }) },
        {
          type: 'ThreadUpdated',
          data: expect.objectContaining({
            message_id: ROOT,
            thread: { reply_count: 2, last_reply_at: T1, participants: ['bob', 'carol'] },
          }),
        },
      ],
    });
  });

  it(`names each replier once, the first ${THREAD_PARTICIPANTS_CAPACITY} only`, () => {
    let past = room;
    const repliers = Array.from({ length: THREAD_PARTICIPANTS_CAPACITY + 2 }, (_, index) => `user-${index}`);
    for (const [index, user] of [...repliers, 'user-0'].entries())
      past = after(past, reply(user, ROOT, `r-${index}`));
    const last = past.at(-1);
    expect(last).toEqual({
      type: 'ThreadUpdated',
      data: expect.objectContaining({
        thread: {
          reply_count: repliers.length + 1,
          last_reply_at: T1,
          participants: repliers.slice(0, THREAD_PARTICIPANTS_CAPACITY),
        },
      }),
    });
  });

  it('to an unknown message, one of another room or a deleted one is message_not_found', () => {
    expect(given(roomDecider, room)(reply('bob', 'no-such-message', 'r-1'))).toEqual(
      refused('message_not_found'),
    );
    expect(given(roomDecider, room)(reply('bob', messageIdFor('room-2', 'alice', 'past-1'), 'r-1'))).toEqual(
      refused('message_not_found'),
    );
    expect(given(roomDecider, after(room, remove('alice', ROOT)))(reply('bob', ROOT, 'r-1'))).toEqual(
      refused('message_not_found'),
    );
  });

  it('to a reply whose root was deleted is message_not_found', () => {
    const past = after(after(room, reply('bob', ROOT, 'r-1')), remove('alice', ROOT));
    expect(given(roomDecider, past)(reply('carol', REPLY, 'r-2'))).toEqual(refused('message_not_found'));
  });

  it('repeated decides nothing more', () => {
    const past = after(room, reply('bob', ROOT, 'r-1'));
    expect(given(roomDecider, past)(reply('bob', ROOT, 'r-1'))).toEqual({ ok: true, value: [] });
  });
});

describe('deleting a reply', () => {
  it('takes it off its root’s count, keeping when the thread last moved and who replied', () => {
    const past = after(after(room, reply('bob', ROOT, 'r-1')), reply('carol', ROOT, 'r-2'));
    expect(given(roomDecider, past)(remove('bob', REPLY))).toEqual({
      ok: true,
      value: [
        { type: 'MessageDeleted', data: expect.objectContaining({ message_id: REPLY, seq: 2 }) },
        {
          type: 'ThreadUpdated',
          data: {
            room_id: ROOM,
            message_id: ROOT,
            seq: 1,
            thread: { reply_count: 1, last_reply_at: T1, participants: ['bob', 'carol'] },
          },
        },
      ],
    });
  });

  it('twice changes the count once', () => {
    const past = after(after(room, reply('bob', ROOT, 'r-1')), remove('bob', REPLY));
    expect(given(roomDecider, past)(remove('bob', REPLY))).toEqual({ ok: true, value: [] });
  });

  it('of a root leaves its summary alone', () => {
    const past = after(room, reply('bob', ROOT, 'r-1'));
    expect(given(roomDecider, past)(remove('alice', ROOT))).toEqual({
      ok: true,
      value: [{ type: 'MessageDeleted', data: expect.objectContaining({ message_id: ROOT }) }],
    });
  });
});
