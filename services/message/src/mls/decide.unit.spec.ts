import type { MlsCommitFacts } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../messages/message-id';
import type { RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import { as, messageSent, privateRoom, ROOM, T1 } from '../rooms/room.fixtures';
import { commitSent, encryptedRoom, privateMessage } from './mls.fixtures';

const WELCOME = Buffer.from('a welcome').toString('base64');

const sendMls = (actor: string, mls: string, mls_commit?: MlsCommitFacts, commandId = 'c-1') =>
  as(
    actor,
    {
      type: 'SendMessage',
      data: {
        room_id: ROOM,
        content: '',
        message_type: 'mls',
        client_msg_id: 'client-1',
        mls,
        ...(mls_commit ? { mls_commit } : {}),
      },
    },
    { decided_at: T1, command_id: commandId },
  );
const sendText = (actor: string) =>
  as(
    actor,
    {
      type: 'SendMessage',
      data: { room_id: ROOM, content: 'hello', message_type: 'text', client_msg_id: 'client-1' },
    },
    { decided_at: T1 },
  );
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });
const typesOf = (decided: { ok: boolean; value?: RoomEvent[] }) => decided.value?.map((event) => event.type);

describe('CreateRoom with encryption', () => {
  it('creates a private room that carries only MLS messages, whatever privacy was asked', () => {
    const create = as('alice', {
      type: 'CreateRoom',
      data: { room_id: ROOM, name: 'Secret', private: false, members: [], encryption: 'mls' },
    });
    expect(given(roomDecider, [])(create)).toMatchObject({
      ok: true,
      value: [{ type: 'RoomCreated', data: { private: true, encryption: 'mls' } }, { type: 'MemberJoined' }],
    });
  });
});

describe('SendMessage in an end-to-end encrypted room', () => {
  it("appends a member's application message at the group's epoch with the next seq and empty content", () => {
    const mls = privateMessage(1, 'application');
    const decided = given(roomDecider, [...encryptedRoom('alice', 'bob'), commitSent(1, 'alice', 0)])(
      sendMls('bob', mls),
    );
    expect(decided).toEqual({
      ok: true,
      value: [
        {
          type: 'MessageSent',
          data: {
            room_id: ROOM,
            message_id: messageIdFor(ROOM, 'bob', 'c-1'),
            seq: 2,
            sender_id: 'bob',
            content: '',
            message_type: 'mls',
            client_msg_id: 'client-1',
            created_at: T1,
            mls: { message: mls, epoch: 1, content_type: 'application' },
          },
        },
      ],
    });
  });

  it('refuses plain content: encryption_required', () => {
    expect(given(roomDecider, encryptedRoom('alice', 'bob'))(sendText('bob'))).toEqual(
      refused('encryption_required'),
    );
  });

  it('refuses MLS bytes in a plain room: encryption_required', () => {
    expect(
      given(roomDecider, privateRoom('alice', 'bob'))(sendMls('bob', privateMessage(0, 'application'))),
    ).toEqual(refused('encryption_required'));
  });

  it('refuses bytes that are not an MLS message, or not of the room’s group: malformed_mls', () => {
    const room = encryptedRoom('alice', 'bob');
    const garbage = Buffer.from('not an MLS message at all').toString('base64');
    const truncated = privateMessage(0, 'application').slice(0, 40);
    expect(given(roomDecider, room)(sendMls('bob', garbage))).toEqual(refused('malformed_mls'));
    expect(given(roomDecider, room)(sendMls('bob', truncated))).toEqual(refused('malformed_mls'));
    expect(given(roomDecider, room)(sendMls('bob', privateMessage(0, 'application', 'other-room')))).toEqual(
      refused('malformed_mls'),
    );
  });

  it('refuses a non-member', () => {
    expect(
      given(roomDecider, encryptedRoom('alice'))(sendMls('mallory', privateMessage(0, 'application'))),
    ).toEqual(refused('room_not_found'));
  });

  it('accepts a commit in the current epoch and moves the group to the next one', () => {
    const events = [...encryptedRoom('alice', 'bob'), commitSent(1, 'alice', 0)];
    const commit = sendMls('bob', privateMessage(1, 'commit'), { added: [], removed: [] });
    expect(given(roomDecider, events)(commit)).toMatchObject({
      ok: true,
      value: [{ type: 'MessageSent', data: { seq: 2, mls: { epoch: 1, content_type: 'commit' } } }],
    });
    const after = [...events, commitSent(2, 'bob', 1)];
    expect(given(roomDecider, after)(sendMls('alice', privateMessage(2, 'application')))).toMatchObject({
      ok: true,
    });
  });

  it('refuses the second of two commits made in the same epoch: stale_epoch, so the group never forks', () => {
    const events = [...encryptedRoom('alice', 'bob'), commitSent(1, 'alice', 0)];
    expect(
      given(roomDecider, events)(sendMls('bob', privateMessage(0, 'commit'), { added: [], removed: [] })),
    ).toEqual(refused('stale_epoch'));
    expect(given(roomDecider, events)(sendMls('bob', privateMessage(0, 'application')))).toEqual(
      refused('stale_epoch'),
    );
    expect(given(roomDecider, events)(sendMls('bob', privateMessage(5, 'application')))).toEqual(
      refused('stale_epoch'),
    );
  });

  it('joins the members a commit adds after it, with their Welcome kept for them', () => {
    const commit = sendMls('alice', privateMessage(0, 'commit'), {
      added: ['bob', 'carol'],
      removed: [],
      welcome: WELCOME,
    });
    const decided = given(roomDecider, encryptedRoom('alice', 'bob'))(commit);
    expect(decided).toMatchObject({
      ok: true,
      value: [
        { type: 'MessageSent', data: { seq: 1 } },
        { type: 'MemberJoined', data: { user_id: 'carol', added_by: 'alice' } },
        { type: 'MlsWelcomeSent', data: { seq: 1, recipients: ['bob', 'carol'], welcome: WELCOME } },
      ],
    });
  });

  it('removes the members a commit removes after it, so they receive the commit itself', () => {
    const events = [...encryptedRoom('alice', 'bob', 'carol'), commitSent(1, 'alice', 0)];
    const commit = sendMls('alice', privateMessage(1, 'commit'), { added: [], removed: ['carol'] });
    expect(typesOf(given(roomDecider, events)(commit))).toEqual(['MessageSent', 'MemberLeft']);
  });

  it("refuses a commit's membership the room's rules refuse", () => {
    const events = encryptedRoom('alice', 'bob', 'carol');
    const addByMember = sendMls('bob', privateMessage(0, 'commit'), {
      added: ['dave'],
      removed: [],
      welcome: WELCOME,
    });
    const removeOwner = sendMls('bob', privateMessage(0, 'commit'), { added: [], removed: ['alice'] });
    const addWithoutWelcome = sendMls('alice', privateMessage(0, 'commit'), { added: ['dave'], removed: [] });
    const membershipOnApplication = sendMls('alice', privateMessage(0, 'application'), {
      added: [],
      removed: ['carol'],
    });
    expect(given(roomDecider, events)(addByMember)).toEqual(refused('forbidden'));
    expect(given(roomDecider, events)(removeOwner)).toEqual(refused('forbidden'));
    expect(given(roomDecider, events)(addWithoutWelcome)).toEqual(refused('invalid_request'));
    expect(given(roomDecider, events)(membershipOnApplication)).toEqual(refused('invalid_request'));
  });

  it('answers a repeated command with nothing new', () => {
    const mls = privateMessage(0, 'application');
    const first = given(roomDecider, encryptedRoom('alice', 'bob'))(sendMls('bob', mls));
    if (!first.ok) throw new Error('refused');
    expect(
      given(roomDecider, [...encryptedRoom('alice', 'bob'), ...first.value])(sendMls('bob', mls)),
    ).toEqual({
      ok: true,
      value: [],
    });
  });

  it('refuses edits and deletions: the group’s ciphertext is not the server’s to change', () => {
    const events = [...encryptedRoom('alice', 'bob'), commitSent(1, 'alice', 0)];
    const messageId = messageIdFor(ROOM, 'alice', 'past-1');
    const edit = as('alice', {
      type: 'EditMessage',
      data: { room_id: ROOM, message_id: messageId, content: 'x' },
    });
    const remove = as('alice', { type: 'DeleteMessage', data: { room_id: ROOM, message_id: messageId } });
    expect(given(roomDecider, events)(edit)).toEqual(refused('forbidden'));
    expect(given(roomDecider, events)(remove)).toEqual(refused('forbidden'));
  });

  it('leaves plain rooms as they were', () => {
    expect(
      given(roomDecider, [...privateRoom('alice', 'bob'), messageSent(1, 'alice')])(sendText('bob')),
    ).toMatchObject({
      ok: true,
      value: [{ type: 'MessageSent', data: { seq: 2, content: 'hello' } }],
    });
  });
});

describe('AcknowledgeMlsWelcome', () => {
  const withWelcome = [
    ...encryptedRoom('alice', 'bob'),
    commitSent(1, 'alice', 0),
    {
      type: 'MlsWelcomeSent',
      data: { room_id: ROOM, seq: 1, recipients: ['bob'], welcome: WELCOME, sent_at: T1 },
    } satisfies RoomEvent,
  ];
  const acknowledge = (actor: string, seq = 1) =>
    as(actor, { type: 'AcknowledgeMlsWelcome', data: { room_id: ROOM, seq } }, { decided_at: T1 });

  it("records a recipient's acknowledgement once", () => {
    const decided = given(roomDecider, withWelcome)(acknowledge('bob'));
    expect(decided).toEqual({
      ok: true,
      value: [
        {
          type: 'MlsWelcomeAcknowledged',
          data: { room_id: ROOM, seq: 1, user_id: 'bob', acknowledged_at: T1 },
        },
      ],
    });
    if (!decided.ok) return;
    expect(given(roomDecider, [...withWelcome, ...decided.value])(acknowledge('bob'))).toEqual(
      refused('welcome_not_found'),
    );
  });

  it('refuses a Welcome that is not kept for the caller', () => {
    expect(given(roomDecider, withWelcome)(acknowledge('alice'))).toEqual(refused('welcome_not_found'));
    expect(given(roomDecider, withWelcome)(acknowledge('bob', 7))).toEqual(refused('welcome_not_found'));
  });
});
