import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import {
  as,
  memberJoined,
  memberLeft,
  privateRoom,
  publicRoom,
  ROOM,
  roomDeleted,
  T0,
  T1,
} from './room.fixtures';

const room = { room_id: ROOM };
const events = (...value: RoomEvent[]) => ({ ok: true, value });
const nothing = { ok: true, value: [] };
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

describe('CreateRoom', () => {
  const create = (members: string[], isPrivate = false) =>
    as('alice', { type: 'CreateRoom', data: { ...room, name: 'Room one', private: isPrivate, members } });

  it('makes the creator its owner and the listed users members, once each', () => {
    expect(given(roomDecider, [])(create(['bob', 'alice', 'carol', 'bob'], true))).toEqual(
      events(...privateRoom('alice', 'bob', 'carol')),
    );
  });

  it('stores the name without hidden characters, and refuses one that is nothing else', () => {
    const named = (name: string) =>
      as('alice', { type: 'CreateRoom', data: { ...room, name, private: false, members: [] } });
    const decided = given(roomDecider, [])(named('evil\u0000\u0007 room\u202E'));
    expect(decided.ok && decided.value[0]).toMatchObject({
      type: 'RoomCreated',
      data: { name: 'evil room' },
    });
    expect(given(roomDecider, [])(named('\u202E\u0007 '))).toEqual(refused('invalid_request'));
  });

  it('refuses a room id that exists', () => {
    expect(given(roomDecider, publicRoom('bob'))(create([]))).toEqual(refused('room_exists'));
  });

  it('refuses the id of a deleted room: ids are never reused', () => {
    expect(given(roomDecider, [...publicRoom('bob'), roomDeleted('bob')])(create([]))).toEqual(
      refused('room_exists'),
    );
  });
});

describe('UpdateRoom', () => {
  const update = (actor: string, change: { name?: string; private?: boolean }, admin = false) =>
    as(
      actor,
      { type: 'UpdateRoom', data: { ...room, ...change } },
      { actor_is_admin: admin, decided_at: T1 },
    );
  const updated = (by: string, name: string, isPrivate: boolean): RoomEvent => ({
    type: 'RoomUpdated',
    data: { ...room, name, private: isPrivate, updated_by: by, updated_at: T1 },
  });

  it('cleans a new name as it cleans a first one', () => {
    expect(given(roomDecider, privateRoom('alice'))(update('alice', { name: 'New\u202E name' }))).toEqual(
      events(updated('alice', 'New name', true)),
    );
    expect(given(roomDecider, privateRoom('alice'))(update('alice', { name: '\u0000' }))).toEqual(
      refused('invalid_request'),
    );
  });

  it('lets the owner rename, keeping what the command leaves out', () => {
    expect(given(roomDecider, privateRoom('alice'))(update('alice', { name: 'Renamed' }))).toEqual(
      events(updated('alice', 'Renamed', true)),
    );
  });

  it('lets an administrator update any room, even a private one they are not in', () => {
    expect(given(roomDecider, privateRoom('alice'))(update('root', { private: false }, true))).toEqual(
      events(updated('root', 'Room one', false)),
    );
  });

  it('decides nothing when nothing changes', () => {
    expect(given(roomDecider, publicRoom('alice'))(update('alice', { name: 'Room one' }))).toEqual(nothing);
  });

  it('forbids a member who is not the owner', () => {
    expect(given(roomDecider, publicRoom('alice', 'bob'))(update('bob', { name: 'Mine' }))).toEqual(
      refused('forbidden'),
    );
  });

  it('hides a private room from an outsider', () => {
    expect(given(roomDecider, privateRoom('alice'))(update('mallory', { name: 'Mine' }))).toEqual(
      refused('room_not_found'),
    );
  });

  it('does not find a missing or deleted room', () => {
    expect(given(roomDecider, [])(update('alice', { name: 'x' }))).toEqual(refused('room_not_found'));
    expect(
      given(roomDecider, [...publicRoom('alice'), roomDeleted('alice')])(update('alice', { name: 'x' })),
    ).toEqual(refused('room_not_found'));
  });
});

describe('DeleteRoom', () => {
  const remove = (actor: string, admin = false) =>
    as(actor, { type: 'DeleteRoom', data: room }, { actor_is_admin: admin });

  it('lets the owner or an administrator delete the room', () => {
    for (const [actor, admin] of [
      ['alice', false],
      ['root', true],
    ] as const) {
      expect(given(roomDecider, privateRoom('alice'))(remove(actor, admin))).toEqual(
        events(roomDeleted(actor)),
      );
    }
  });

  it('forbids a member, hides a private room from outsiders, and does not find a deleted room', () => {
    expect(given(roomDecider, publicRoom('alice', 'bob'))(remove('bob'))).toEqual(refused('forbidden'));
    expect(given(roomDecider, privateRoom('alice'))(remove('mallory'))).toEqual(refused('room_not_found'));
    expect(given(roomDecider, [...publicRoom('alice'), roomDeleted('alice')])(remove('alice'))).toEqual(
      refused('room_not_found'),
    );
  });
});

describe('JoinRoom', () => {
  const join = (actor: string, admin = false) =>
    as(actor, { type: 'JoinRoom', data: room }, { actor_is_admin: admin });

  it('adds anyone to a public room', () => {
    expect(given(roomDecider, publicRoom('alice'))(join('bob'))).toEqual(
      events(memberJoined('bob', 'member', 'bob')),
    );
  });

  it('is idempotent for a member, of a public or a private room', () => {
    expect(given(roomDecider, publicRoom('alice', 'bob'))(join('bob'))).toEqual(nothing);
    expect(given(roomDecider, privateRoom('alice', 'bob'))(join('bob'))).toEqual(nothing);
  });

  it('lets a member who left join a public room again', () => {
    expect(given(roomDecider, [...publicRoom('alice', 'bob'), memberLeft('bob')])(join('bob'))).toEqual(
      events(memberJoined('bob', 'member', 'bob')),
    );
  });

  it('does not reveal a private room to an outsider', () => {
    expect(given(roomDecider, privateRoom('alice'))(join('mallory'))).toEqual(refused('room_not_found'));
    expect(given(roomDecider, [])(join('mallory'))).toEqual(refused('room_not_found'));
  });

  it('tells an administrator that a private room is joined by being added', () => {
    expect(given(roomDecider, privateRoom('alice'))(join('root', true))).toEqual(refused('forbidden'));
  });

  it('does not find a deleted room', () => {
    expect(given(roomDecider, [...publicRoom('alice'), roomDeleted('alice')])(join('bob'))).toEqual(
      refused('room_not_found'),
    );
  });
});

describe('LeaveRoom', () => {
  const leave = (actor: string) => as(actor, { type: 'LeaveRoom', data: room });

  it('removes a member', () => {
    expect(given(roomDecider, privateRoom('alice', 'bob'))(leave('bob'))).toEqual(events(memberLeft('bob')));
  });

  it('refuses a non-member of a public room, and hides a private one', () => {
    expect(given(roomDecider, publicRoom('alice'))(leave('bob'))).toEqual(refused('not_member'));
    expect(given(roomDecider, [...publicRoom('alice', 'bob'), memberLeft('bob')])(leave('bob'))).toEqual(
      refused('not_member'),
    );
    expect(given(roomDecider, privateRoom('alice'))(leave('bob'))).toEqual(refused('room_not_found'));
  });
});

describe('AddMember', () => {
  const add = (actor: string, userId: string, admin = false) =>
    as(actor, { type: 'AddMember', data: { ...room, user_id: userId } }, { actor_is_admin: admin });

  it('lets the owner or an administrator add a member', () => {
    expect(given(roomDecider, privateRoom('alice'))(add('alice', 'bob'))).toEqual(
      events(memberJoined('bob', 'member', 'alice')),
    );
    expect(given(roomDecider, privateRoom('alice'))(add('root', 'bob', true))).toEqual(
      events(memberJoined('bob', 'member', 'root')),
    );
  });

  it('decides nothing for someone already a member', () => {
    expect(given(roomDecider, privateRoom('alice', 'bob'))(add('alice', 'bob'))).toEqual(nothing);
  });

  it('forbids a plain member and hides a private room from outsiders', () => {
    expect(given(roomDecider, privateRoom('alice', 'bob'))(add('bob', 'carol'))).toEqual(
      refused('forbidden'),
    );
    expect(given(roomDecider, privateRoom('alice'))(add('mallory', 'mallory'))).toEqual(
      refused('room_not_found'),
    );
  });
});

describe('RemoveMember', () => {
  const remove = (actor: string, userId: string, admin = false) =>
    as(actor, { type: 'RemoveMember', data: { ...room, user_id: userId } }, { actor_is_admin: admin });

  it('lets the owner or an administrator remove anyone', () => {
    expect(given(roomDecider, privateRoom('alice', 'bob'))(remove('alice', 'bob'))).toEqual(
      events(memberLeft('bob', 'alice')),
    );
    expect(given(roomDecider, privateRoom('alice', 'bob'))(remove('root', 'bob', true))).toEqual(
      events(memberLeft('bob', 'root')),
    );
  });

  it('lets a member remove themself', () => {
    expect(given(roomDecider, privateRoom('alice', 'bob'))(remove('bob', 'bob'))).toEqual(
      events(memberLeft('bob')),
    );
  });

  it('forbids a member removing someone else', () => {
    expect(given(roomDecider, publicRoom('alice', 'bob', 'carol'))(remove('bob', 'carol'))).toEqual(
      refused('forbidden'),
    );
  });

  it('refuses to remove a non-member', () => {
    expect(given(roomDecider, publicRoom('alice'))(remove('alice', 'bob'))).toEqual(refused('not_member'));
  });

  it('hides a private room from an outsider, even one removing themself', () => {
    expect(given(roomDecider, privateRoom('alice', 'bob'))(remove('mallory', 'bob'))).toEqual(
      refused('room_not_found'),
    );
    expect(given(roomDecider, privateRoom('alice'))(remove('mallory', 'mallory'))).toEqual(
      refused('room_not_found'),
    );
  });
});

it('stamps events with the decision time, not the issue time', () => {
  const join = as('bob', { type: 'JoinRoom', data: room }, { issued_at: T0, decided_at: T1 });
  const decided = given(roomDecider, publicRoom('alice'))(join);
  expect(decided).toEqual(events({ type: 'MemberJoined', data: expect.objectContaining({ joined_at: T1 }) }));
});
