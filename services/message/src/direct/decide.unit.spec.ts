import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { MessageServiceCommand } from '@chat/contracts';
import type { RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import { as, T0 } from '../rooms/room.fixtures';
import { DIRECT_ROOM_OWNER } from './decide';
import { directRoomId } from './room-id';

const DM = directRoomId('alice', 'bob');
const SELF = directRoomId('alice', 'alice');

const joined = (roomId: string, userId: string, addedBy: string): RoomEvent => ({
  type: 'MemberJoined',
  data: { room_id: roomId, user_id: userId, role: 'member', added_by: addedBy, joined_at: T0 },
});
const opened = (roomId: string, by: string, members: string[]): RoomEvent[] => [
  {
    type: 'RoomCreated',
    data: {
      room_id: roomId,
      name: '',
      private: true,
      owner_id: DIRECT_ROOM_OWNER,
      created_at: T0,
      kind: 'direct',
      members,
    },
  },
  ...members.map((userId) => joined(roomId, userId, by)),
];
const open = (actor: string, userId: string, roomId = directRoomId(actor, userId)) =>
  as(actor, { type: 'OpenDirectRoom', data: { room_id: roomId, user_id: userId } });

const events = (...value: RoomEvent[]) => ({ ok: true, value });
const nothing = { ok: true, value: [] };
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

describe('OpenDirectRoom', () => {
  it('opens a private direct room with the pair as its members, sorted, owned by neither', () => {
    expect(given(roomDecider, [])(open('bob', 'alice'))).toEqual(
      events(...opened(DM, 'bob', ['alice', 'bob'])),
    );
  });

  it('finds the room open, whoever of the pair asks second', () => {
    expect(given(roomDecider, opened(DM, 'alice', ['alice', 'bob']))(open('bob', 'alice'))).toEqual(nothing);
    expect(given(roomDecider, opened(DM, 'alice', ['alice', 'bob']))(open('alice', 'bob'))).toEqual(nothing);
  });

  it('opens notes to self with one member', () => {
    expect(given(roomDecider, [])(open('alice', 'alice'))).toEqual(
      events(...opened(SELF, 'alice', ['alice'])),
    );
  });

  it('refuses a room id that is not the pair’s', () => {
    expect(given(roomDecider, [])(open('alice', 'bob', 'room-1'))).toEqual(refused('invalid_request'));
    expect(given(roomDecider, [])(open('carol', 'bob', DM))).toEqual(refused('invalid_request'));
  });
});

describe('a direct room', () => {
  const dm = opened(DM, 'alice', ['alice', 'bob']);
  const on = (actor: string, command: MessageServiceCommand, admin = false) =>
    given(roomDecider, dm)(as(actor, command, { actor_is_admin: admin }));
  const changes: [string, MessageServiceCommand][] = [
    ['rename', { type: 'UpdateRoom', data: { room_id: DM, name: 'Ours' } }],
    ['make public', { type: 'UpdateRoom', data: { room_id: DM, private: false } }],
    ['delete', { type: 'DeleteRoom', data: { room_id: DM } }],
    ['add a member', { type: 'AddMember', data: { room_id: DM, user_id: 'carol' } }],
    ['remove a member', { type: 'RemoveMember', data: { room_id: DM, user_id: 'bob' } }],
    ['leave', { type: 'LeaveRoom', data: { room_id: DM } }],
    [
      'make a moderator',
      { type: 'ChangeMemberRole', data: { room_id: DM, user_id: 'bob', role: 'moderator' } },
    ],
    ['ban a member', { type: 'BanMember', data: { room_id: DM, user_id: 'bob' } }],
    ['mute a member', { type: 'MuteMember', data: { room_id: DM, user_id: 'bob' } }],
  ];

  it.each(changes)('refuses its members to %s (forbidden)', (_, command) => {
    expect(on('alice', command)).toEqual(refused('forbidden'));
    expect(on('bob', command)).toEqual(refused('forbidden'));
  });

  it.each(changes)('refuses administrators to %s (forbidden)', (_, command) => {
    expect(on('admin', command, true)).toEqual(refused('forbidden'));
  });

  it.each(changes)('does not exist for anyone else who would %s', (_, command) => {
    expect(on('carol', command)).toEqual(refused('room_not_found'));
  });

  it('refuses anyone else to join, as any private room: it does not exist for them', () => {
    expect(on('carol', { type: 'JoinRoom', data: { room_id: DM } })).toEqual(refused('room_not_found'));
    expect(on('carol', { type: 'SendMessage', data: sendTo(DM) })).toEqual(refused('room_not_found'));
  });

  it('lets its members re-join and write', () => {
    expect(on('bob', { type: 'JoinRoom', data: { room_id: DM } })).toEqual(nothing);
    expect(on('bob', { type: 'SendMessage', data: sendTo(DM) })).toMatchObject({
      ok: true,
      value: [{ type: 'MessageSent', data: { room_id: DM, seq: 1, sender_id: 'bob' } }],
    });
  });
});

const sendTo = (roomId: string) => ({
  room_id: roomId,
  content: 'hi',
  message_type: 'text' as const,
  client_msg_id: null,
});
