import type { MessageServiceCommand } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import {
  as,
  memberBanned,
  memberJoined,
  memberLeft,
  memberMuted,
  memberUnbanned,
  memberUnmuted,
  messageDeleted,
  messageSent,
  pastMessageId,
  privateRoom,
  publicRoom,
  roleChanged,
  ROOM,
  roomDeleted,
  T0,
  T1,
} from '../rooms/room.fixtures';
import { bansInForce } from './decide';

const room = { room_id: ROOM };
const events = (...value: RoomEvent[]) => ({ ok: true, value });
const nothing = { ok: true, value: [] };
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

/** After T0 and T1: a ban or mute `until` these has ended by LATER, and holds at T1. */
const SOON = '2024-05-01T11:00:00.000Z';
const LATER = '2024-05-01T12:00:00.000Z';

/** alice owns a public room; mo is its moderator; bob and carol are members. */
const moderated = (...more: RoomEvent[]) => [
  ...publicRoom('alice', 'mo', 'bob', 'carol'),
  roleChanged('mo', 'moderator', 'alice'),
  ...more,
];

const by = (actor: string, command: MessageServiceCommand, options: { admin?: boolean; at?: string } = {}) =>
  as(actor, command, { actor_is_admin: options.admin ?? false, decided_at: options.at ?? T0 });

describe('ChangeMemberRole', () => {
  const change = (actor: string, userId: string, role: 'moderator' | 'member', admin = false) =>
    by(actor, { type: 'ChangeMemberRole', data: { ...room, user_id: userId, role } }, { admin });

  it('lets the owner or an administrator make a member a moderator, and a moderator a member', () => {
    expect(given(roomDecider, moderated())(change('alice', 'bob', 'moderator'))).toEqual(
      events(roleChanged('bob', 'moderator', 'alice')),
    );
    expect(given(roomDecider, moderated())(change('root', 'mo', 'member', true))).toEqual(
      events(roleChanged('mo', 'member', 'root')),
    );
  });

  it('decides nothing when the member already has the role', () => {
    expect(given(roomDecider, moderated())(change('alice', 'mo', 'moderator'))).toEqual(nothing);
  });

  it('forbids a moderator or a member to give roles', () => {
    expect(given(roomDecider, moderated())(change('mo', 'bob', 'moderator'))).toEqual(refused('forbidden'));
    expect(given(roomDecider, moderated())(change('bob', 'bob', 'moderator'))).toEqual(refused('forbidden'));
  });

  it('refuses a user who is not a member, and the owner’s own role', () => {
    expect(given(roomDecider, moderated())(change('alice', 'zed', 'moderator'))).toEqual(
      refused('not_member'),
    );
    expect(given(roomDecider, moderated())(change('root', 'alice', 'member', true))).toEqual(
      refused('forbidden'),
    );
  });

  it('hides a private room from an outsider and does not find a deleted one', () => {
    expect(given(roomDecider, privateRoom('alice', 'bob'))(change('zed', 'bob', 'moderator'))).toEqual(
      refused('room_not_found'),
    );
    expect(given(roomDecider, moderated(roomDeleted('alice')))(change('alice', 'bob', 'moderator'))).toEqual(
      refused('room_not_found'),
    );
  });
});

describe('BanMember', () => {
  const ban = (
    actor: string,
    userId: string,
    extra: { reason?: string; until?: string } = {},
    admin = false,
  ) => by(actor, { type: 'BanMember', data: { ...room, user_id: userId, ...extra } }, { admin });

  it('lets a moderator ban a member, with a reason and an end, removing them from the room', () => {
    const decided = given(roomDecider, moderated())(ban('mo', 'bob', { reason: ' spam ', until: LATER }));
    expect(decided).toEqual(events(memberBanned('bob', 'mo', { reason: 'spam', until: LATER })));
    const after = given(roomDecider, [...moderated(), memberBanned('bob', 'mo')]);
    expect(
      after(
        by('bob', {
          type: 'SendMessage',
          data: { ...room, content: 'hi', message_type: 'text', client_msg_id: null },
        }),
      ),
    ).toEqual(refused('banned'));
  });

  it('lets a moderator ban a user who is not a member, to keep them out', () => {
    expect(given(roomDecider, moderated())(ban('mo', 'zed'))).toEqual(events(memberBanned('zed', 'mo')));
  });

  it('lets the owner or an administrator ban a moderator; not another moderator', () => {
    const twoModerators = moderated(roleChanged('bob', 'moderator', 'alice'));
    expect(given(roomDecider, twoModerators)(ban('alice', 'mo'))).toEqual(
      events(memberBanned('mo', 'alice')),
    );
    expect(given(roomDecider, twoModerators)(ban('root', 'mo', {}, true))).toEqual(
      events(memberBanned('mo', 'root')),
    );
    expect(given(roomDecider, twoModerators)(ban('bob', 'mo'))).toEqual(refused('forbidden'));
  });

  it('refuses banning oneself or the owner, even to an administrator', () => {
    expect(given(roomDecider, moderated())(ban('mo', 'mo'))).toEqual(refused('invalid_request'));
    expect(given(roomDecider, moderated())(ban('mo', 'alice'))).toEqual(refused('forbidden'));
    expect(given(roomDecider, moderated())(ban('root', 'alice', {}, true))).toEqual(refused('forbidden'));
  });

  it('forbids a member, and a moderator of another room (a member here)', () => {
    expect(given(roomDecider, moderated())(ban('bob', 'carol'))).toEqual(refused('forbidden'));
    expect(given(roomDecider, publicRoom('alice', 'mo', 'bob'))(ban('mo', 'bob'))).toEqual(
      refused('forbidden'),
    );
  });

  it('refuses an end that is not in the future', () => {
    expect(given(roomDecider, moderated())(ban('mo', 'bob', { until: T0 }))).toEqual(
      refused('invalid_request'),
    );
  });

  it('decides nothing for the very same ban again; a new reason or end replaces it', () => {
    const banned = moderated(memberBanned('bob', 'mo', { reason: 'spam' }));
    expect(given(roomDecider, banned)(ban('mo', 'bob', { reason: 'spam' }))).toEqual(nothing);
    expect(given(roomDecider, banned)(ban('alice', 'bob', { reason: 'spam', until: LATER }))).toEqual(
      events(memberBanned('bob', 'alice', { reason: 'spam', until: LATER })),
    );
  });

  it('hides a private room from an outsider', () => {
    expect(given(roomDecider, privateRoom('alice', 'bob'))(ban('zed', 'bob'))).toEqual(
      refused('room_not_found'),
    );
  });
});

describe('a ban in force', () => {
  const join = (actor: string, at = T0) => by(actor, { type: 'JoinRoom', data: room }, { at });
  const add = (userId: string) => by('alice', { type: 'AddMember', data: { ...room, user_id: userId } });

  it('refuses the banned user joining a public room, or being added to one', () => {
    const banned = moderated(memberBanned('bob', 'mo'));
    expect(given(roomDecider, banned)(join('bob'))).toEqual(refused('banned'));
    expect(given(roomDecider, banned)(add('bob'))).toEqual(refused('banned'));
  });

  it('refuses a banned user of a private room as banned, not as an outsider', () => {
    const banned = [...privateRoom('alice', 'bob'), memberBanned('bob', 'alice')];
    expect(given(roomDecider, banned)(join('bob'))).toEqual(refused('banned'));
  });

  it('ends at its `until`: the user joins again after it', () => {
    const banned = moderated(memberBanned('bob', 'mo', { until: SOON }));
    expect(given(roomDecider, banned)(join('bob', T1))).toEqual(refused('banned'));
    expect(given(roomDecider, banned)(join('bob', LATER))).toEqual(
      events(memberJoined('bob', 'member', 'bob', LATER)),
    );
  });

  it('ends when lifted', () => {
    const unban = (actor: string) => by(actor, { type: 'UnbanMember', data: { ...room, user_id: 'bob' } });
    const banned = moderated(memberBanned('bob', 'mo'));
    expect(given(roomDecider, banned)(unban('mo'))).toEqual(events(memberUnbanned('bob', 'mo')));
    expect(given(roomDecider, banned)(unban('carol'))).toEqual(refused('forbidden'));
    expect(given(roomDecider, moderated())(unban('mo'))).toEqual(nothing);
    expect(given(roomDecider, [...banned, memberUnbanned('bob', 'mo')])(join('bob'))).toEqual(
      events(memberJoined('bob')),
    );
  });

  it('is listed while in force, with its reason', () => {
    const state = [
      ...moderated(memberBanned('bob', 'mo', { reason: 'spam' }), memberBanned('zed', 'mo', { until: SOON })),
    ].reduce(roomDecider.evolve, roomDecider.initialState);
    expect(bansInForce(state, T1).map((ban) => [ban.user_id, ban.reason])).toEqual([
      ['bob', 'spam'],
      ['zed', null],
    ]);
    expect(bansInForce(state, LATER).map((ban) => ban.user_id)).toEqual(['bob']);
  });
});

describe('MuteMember', () => {
  const mute = (actor: string, userId: string, until?: string) =>
    by(actor, { type: 'MuteMember', data: { ...room, user_id: userId, ...(until ? { until } : {}) } });
  const unmute = (actor: string, userId: string) =>
    by(actor, { type: 'UnmuteMember', data: { ...room, user_id: userId } });

  it('lets a moderator mute a member, until lifted or until an end', () => {
    expect(given(roomDecider, moderated())(mute('mo', 'bob'))).toEqual(events(memberMuted('bob', 'mo')));
    expect(given(roomDecider, moderated())(mute('mo', 'bob', LATER))).toEqual(
      events(memberMuted('bob', 'mo', LATER)),
    );
    expect(given(roomDecider, moderated(memberMuted('bob', 'mo')))(mute('mo', 'bob'))).toEqual(nothing);
  });

  it('refuses a non-member, oneself, the owner, a moderator (to a moderator) and a plain member', () => {
    expect(given(roomDecider, moderated())(mute('mo', 'zed'))).toEqual(refused('not_member'));
    expect(given(roomDecider, moderated())(mute('mo', 'mo'))).toEqual(refused('invalid_request'));
    expect(given(roomDecider, moderated())(mute('mo', 'alice'))).toEqual(refused('forbidden'));
    expect(
      given(roomDecider, moderated(roleChanged('bob', 'moderator', 'alice')))(mute('mo', 'bob')),
    ).toEqual(refused('forbidden'));
    expect(given(roomDecider, moderated())(mute('carol', 'bob'))).toEqual(refused('forbidden'));
  });

  it('lifts a mute; lifting none decides nothing', () => {
    expect(given(roomDecider, moderated(memberMuted('bob', 'mo')))(unmute('mo', 'bob'))).toEqual(
      events(memberUnmuted('bob', 'mo')),
    );
    expect(given(roomDecider, moderated())(unmute('mo', 'bob'))).toEqual(nothing);
  });
});

describe('a mute in force', () => {
  const muted = moderated(messageSent(1, 'carol'), memberMuted('bob', 'mo', SOON));
  const send = (at = T1) =>
    by(
      'bob',
      { type: 'SendMessage', data: { ...room, content: 'hi', message_type: 'text', client_msg_id: null } },
      { at },
    );
  const react = by(
    'bob',
    {
      type: 'ReactToMessage',
      data: { ...room, message_id: pastMessageId(1, 'carol'), emoji: '👍', action: 'add' },
    },
    { at: T1 },
  );

  it('refuses the member’s messages and reactions with `muted`', () => {
    expect(given(roomDecider, muted)(send())).toEqual(refused('muted'));
    expect(given(roomDecider, muted)(react)).toEqual(refused('muted'));
  });

  it('outlasts leaving: a muted member who left and sends to the public room is still refused', () => {
    expect(given(roomDecider, [...muted, memberLeft('bob')])(send())).toEqual(refused('muted'));
  });

  it('ends at its `until`', () => {
    expect(given(roomDecider, muted)(send(LATER))).toMatchObject({
      ok: true,
      value: [{ type: 'MessageSent' }],
    });
  });
});

describe('moderators and messages', () => {
  const remove = (actor: string, userId: string) =>
    by(actor, { type: 'RemoveMember', data: { ...room, user_id: userId } });
  const deleteMessage = (actor: string) =>
    by(actor, { type: 'DeleteMessage', data: { ...room, message_id: pastMessageId(1, 'bob') } }, { at: T0 });

  it('lets a moderator delete anyone’s message; not a plain member', () => {
    const withMessage = moderated(messageSent(1, 'bob'));
    expect(given(roomDecider, withMessage)(deleteMessage('mo'))).toEqual(
      events(messageDeleted(1, 'bob', 'mo')),
    );
    expect(given(roomDecider, withMessage)(deleteMessage('carol'))).toEqual(refused('forbidden'));
  });

  it('lets a moderator remove a member, not the owner nor another moderator', () => {
    expect(given(roomDecider, moderated())(remove('mo', 'bob'))).toEqual(events(memberLeft('bob', 'mo')));
    expect(given(roomDecider, moderated())(remove('mo', 'alice'))).toEqual(refused('forbidden'));
    expect(
      given(roomDecider, moderated(roleChanged('bob', 'moderator', 'alice')))(remove('mo', 'bob')),
    ).toEqual(refused('forbidden'));
    expect(given(roomDecider, moderated())(remove('alice', 'mo'))).toEqual(events(memberLeft('mo', 'alice')));
  });
});
