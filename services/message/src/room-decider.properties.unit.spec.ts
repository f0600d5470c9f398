import type { MessageServiceCommand, Rejection, Result } from '@chat/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageIdFor } from './messages/message-id';
import type { RoomCommand, RoomEvent } from './room-command';
import { roomDecider } from './room-decider';
import { contextOf, ROOM } from './rooms/room.fixtures';
import type { RoomState } from './rooms/room';

/**
 * Random histories of one room: every command a client can send, by members, outsiders, the
 * owner and administrators, in any order. Whatever the order, the room's rules hold after every
 * step — the properties the example-based specifications check one case at a time.
 */
const USERS = ['alice', 'bob', 'carol', 'dave'] as const;
const user = fc.constantFrom(...USERS);
/** A small pool, so that commands repeat: a retried send must decide nothing new. */
const commandId = fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6');
/** Picks one of the messages sent so far (or an id the room never had) when the step runs. */
const messagePick = fc.nat();

type Draft = {
  actor: string;
  admin: boolean;
  commandId: string;
  build: (sent: string[]) => MessageServiceCommand;
};

const pick = (sent: string[], index: number): string =>
  sent.length === 0 || index % 10 === 9 ? 'msg_unknown' : sent[index % sent.length]!;

type Build = Draft['build'];

const createRoom: fc.Arbitrary<Build> = fc
  .record({ private: fc.boolean(), members: fc.subarray([...USERS]), name: fc.string({ maxLength: 12 }) })
  .map((data) => (): MessageServiceCommand => ({
    type: 'CreateRoom',
    data: { room_id: ROOM, ...data, name: data.name || 'x' },
  }));

const sendMessage = fc
  .tuple(fc.string({ maxLength: 30 }), fc.constantFrom(false, false, false, true), messagePick)
  .map(([content, reply, thread]) => (sent: string[]) => ({
    type: 'SendMessage',
    data: {
      room_id: ROOM,
      content,
      message_type: 'text',
      client_msg_id: null,
      ...(reply ? { thread_id: pick(sent, thread) } : {}),
    },
  }));

/** Sends most, so that histories hold messages to edit, delete, react to and reply to. */
const command: fc.Arbitrary<(sent: string[]) => MessageServiceCommand> = fc.oneof(
  { arbitrary: sendMessage, weight: 8 },
  createRoom,
  fc
    .record({ name: fc.string({ minLength: 1, maxLength: 12 }), private: fc.boolean() }, { requiredKeys: [] })
    .map((data) => () => ({ type: 'UpdateRoom', data: { room_id: ROOM, ...data } })),
  fc.constant(() => ({ type: 'DeleteRoom', data: { room_id: ROOM } })),
  { arbitrary: fc.constant(() => ({ type: 'JoinRoom', data: { room_id: ROOM } })), weight: 2 },
  fc.constant(() => ({ type: 'LeaveRoom', data: { room_id: ROOM } })),
  user.map((userId) => () => ({ type: 'AddMember', data: { room_id: ROOM, user_id: userId } })),
  user.map((userId) => () => ({ type: 'RemoveMember', data: { room_id: ROOM, user_id: userId } })),
  fc.tuple(messagePick, fc.string({ maxLength: 30 })).map(([index, content]) => (sent: string[]) => ({
    type: 'EditMessage',
    data: { room_id: ROOM, message_id: pick(sent, index), content },
  })),
  messagePick.map((index) => (sent: string[]) => ({
    type: 'DeleteMessage',
    data: { room_id: ROOM, message_id: pick(sent, index) },
  })),
  fc
    .tuple(messagePick, fc.constantFrom('👍', '🎉'), fc.constantFrom('add', 'remove'))
    .map(([index, emoji, action]) => (sent: string[]) => ({
      type: 'ReactToMessage',
      data: { room_id: ROOM, message_id: pick(sent, index), emoji, action },
    })),
) as fc.Arbitrary<(sent: string[]) => MessageServiceCommand>;

const stepOf = (build: fc.Arbitrary<Draft['build']>): fc.Arbitrary<Draft> =>
  fc.record({ actor: user, admin: fc.constantFrom(false, false, false, true), commandId, build });

/** Most histories begin with the room's creation; the rest try everything on a room that is not there. */
const history = fc
  .tuple(
    fc.option(stepOf(createRoom), { freq: 10, nil: undefined }),
    fc.array(stepOf(command), { maxLength: 60 }),
  )
  .map(([first, rest]) => (first ? [first, ...rest] : rest));

interface Replay {
  state: RoomState;
  sent: string[];
  seqs: number[];
  times: string[];
}

const decideAt = (
  draft: Draft,
  at: number,
  replay: Replay,
): { command: RoomCommand; decided: Result<RoomEvent[], Rejection> } => {
  const decidedAt = new Date(Date.UTC(2024, 4, 1, 10, 0, at % 50)).toISOString();
  const command = {
    ...draft.build(replay.sent),
    context: contextOf(draft.actor, {
      command_id: draft.commandId,
      actor_is_admin: draft.admin,
      decided_at: decidedAt,
    }),
  } as RoomCommand;
  return { command, decided: roomDecider.decide(command, replay.state) };
};

/** Replays a history, checking the room's rules at each step with `check`. */
const replay = (
  drafts: Draft[],
  check: (
    before: RoomState,
    command: RoomCommand,
    decided: Result<RoomEvent[], Rejection>,
    after: Replay,
  ) => void,
): Replay => {
  const run: Replay = { state: roomDecider.initialState, sent: [], seqs: [], times: [] };
  drafts.forEach((draft, at) => {
    const before = run.state;
    const { command, decided } = decideAt(draft, at, run);
    for (const event of decided.ok ? decided.value : []) {
      run.state = roomDecider.evolve(run.state, event);
      if (event.type === 'MessageSent') {
        run.sent.push(event.data.message_id);
        run.seqs.push(event.data.seq);
        run.times.push(event.data.created_at);
      }
    }
    check(before, command, decided, run);
  });
  return run;
};

const isManager = (state: RoomState, command: RoomCommand): boolean =>
  state.ownerId === command.context.actor_id || command.context.actor_is_admin;

describe('the room decider over random histories', () => {
  it('numbers messages 1, 2, 3… with no gap and never stamps a later one earlier', () => {
    fc.assert(
      fc.property(history, (drafts) => {
        const run = replay(drafts, () => undefined);
        expect(run.seqs).toEqual(run.seqs.map((_, index) => index + 1));
        expect(run.times).toEqual([...run.times].sort());
        expect(run.state.lastSeq).toBe(run.seqs.length);
      }),
      { numRuns: 500 },
    );
  });

  it('decides nothing new for a send it has already accepted', () => {
    fc.assert(
      fc.property(history, (drafts) => {
        replay(drafts, (_, command, decided, after) => {
          if (command.type !== 'SendMessage' || !decided.ok || decided.value.length === 0) return;
          expect(roomDecider.decide(command, after.state)).toEqual({ ok: true, value: [] });
          const { actor_id, command_id } = command.context;
          expect(after.sent).toContain(messageIdFor(ROOM, actor_id, command_id));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('takes messages in a private room from its members only, and nothing once deleted', () => {
    fc.assert(
      fc.property(history, (drafts) => {
        replay(drafts, (before, command, decided) => {
          const produced = decided.ok ? decided.value : [];
          if (before.status === 'deleted') expect(produced).toEqual([]);
          const actor = command.context.actor_id;
          if (command.type === 'SendMessage' && before.private && !before.members.has(actor)) {
            // A retry of a send accepted while a member is answered with its outcome, adding nothing.
            const repeat = before.messages.has(messageIdFor(ROOM, actor, command.context.command_id));
            expect(decided).toEqual(
              repeat ? { ok: true, value: [] } : expect.objectContaining({ ok: false }),
            );
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('lets only the owner or an administrator manage the room, and only its sender edit a message', () => {
    fc.assert(
      fc.property(history, (drafts) => {
        replay(drafts, (before, command, decided) => {
          const produced = decided.ok ? decided.value : [];
          if (produced.length === 0) return;
          const actor = command.context.actor_id;
          switch (command.type) {
            case 'UpdateRoom':
            case 'DeleteRoom':
            case 'AddMember':
              expect(isManager(before, command)).toBe(true);
              break;
            case 'RemoveMember':
              expect(command.data.user_id === actor || isManager(before, command)).toBe(true);
              break;
            case 'EditMessage':
              expect(before.messages.get(command.data.message_id)?.senderId).toBe(actor);
              expect(before.members.has(actor)).toBe(true);
              break;
            case 'DeleteMessage': {
              const sender = before.messages.get(command.data.message_id)?.senderId;
              expect(sender === actor || isManager(before, command)).toBe(true);
              break;
            }
            default:
              break;
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('joins only outsiders and removes only members', () => {
    fc.assert(
      fc.property(history, (drafts) => {
        replay(drafts, (before, _command, decided) => {
          let members = before.members;
          for (const event of decided.ok ? decided.value : []) {
            if (event.type === 'MemberJoined') {
              expect(members.has(event.data.user_id)).toBe(false);
              members = members.set(event.data.user_id, {
                role: event.data.role,
                joined_at: '',
                joined_after_seq: 0,
              });
            }
            if (event.type === 'MemberLeft') {
              expect(members.has(event.data.user_id)).toBe(true);
              members = members.delete(event.data.user_id);
            }
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
