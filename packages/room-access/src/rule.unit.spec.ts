import type { RoomAccess } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import {
  factsOf,
  refuseNonManager,
  refuseNonMember,
  refuseNonModerator,
  refuseNonSpeaker,
  refuseUnseen,
  type RoomFacts,
  type Viewer,
} from './rule';

const T = '2024-05-01T10:00:00.000Z';
const NOW = new Date('2024-05-01T12:00:00.000Z');
const LATER = '2024-05-01T13:00:00.000Z';
const EARLIER = '2024-05-01T11:00:00.000Z';

/**
 * A room owned by ann, with bob as a member and mo as a moderator; carol and dave (an
 * administrator) are outsiders. In a moderated room: eve is banned for good, dave's ban and fay's
 * have ended (fay is back), gus is muted until later, bob's mute has ended.
 */
const record = (state: { private: boolean; deleted?: boolean; moderated?: boolean }): RoomAccess => ({
  room_id: 'r1',
  kind: 'group',
  private: state.private,
  deleted: state.deleted ?? false,
  owner_id: 'ann',
  members: [
    { user_id: 'ann', role: 'owner', joined_at: T, joined_after_seq: 0 },
    { user_id: 'bob', role: 'member', joined_at: T, joined_after_seq: 4 },
    { user_id: 'mo', role: 'moderator', joined_at: T, joined_after_seq: 4 },
    ...(state.moderated
      ? [
          { user_id: 'fay', role: 'member' as const, joined_at: T, joined_after_seq: 5 },
          { user_id: 'gus', role: 'member' as const, joined_at: T, joined_after_seq: 5 },
        ]
      : []),
  ],
  ...(state.moderated
    ? {
        bans: [
          { user_id: 'eve', until: null },
          { user_id: 'fay', until: EARLIER },
          { user_id: 'dave', until: null },
        ],
        mutes: [
          { user_id: 'gus', until: LATER },
          { user_id: 'bob', until: EARLIER },
        ],
      }
    : {}),
  revision: 7,
});

const rooms = {
  'a room never created': null,
  'a deleted public room': factsOf(record({ private: false, deleted: true })),
  'a deleted private room': factsOf(record({ private: true, deleted: true })),
  'a private room': factsOf(record({ private: true })),
  'a public room': factsOf(record({ private: false })),
  'a moderated public room': factsOf(record({ private: false, moderated: true }), NOW),
  'a moderated private room': factsOf(record({ private: true, moderated: true }), NOW),
} satisfies Record<string, RoomFacts | null>;
type Given = keyof typeof rooms;

const viewers = {
  'its owner': { userId: 'ann', isAdmin: false },
  'a member': { userId: 'bob', isAdmin: false },
  'a moderator': { userId: 'mo', isAdmin: false },
  'a banned user': { userId: 'eve', isAdmin: false },
  'a member whose ban ended': { userId: 'fay', isAdmin: false },
  'a muted member': { userId: 'gus', isAdmin: false },
  'an outsider': { userId: 'carol', isAdmin: false },
  'an administrator outside it': { userId: 'dave', isAdmin: true },
  'an administrator who owns it': { userId: 'ann', isAdmin: true },
} satisfies Record<string, Viewer>;
type When = keyof typeof viewers;

type Then = 'allowed' | 'room_not_found' | 'not_member' | 'forbidden' | 'banned' | 'muted';
const outcome = (refusal: { code: string } | null): Then => (refusal ? (refusal.code as Then) : 'allowed');

const specify = (
  rule: (room: RoomFacts | null, viewer: Viewer) => { code: string } | null,
  cases: [Given, When, Then][],
) =>
  it.each(cases)('given %s, when %s asks, then %s', (given, when, then) => {
    expect(outcome(rule(rooms[given], viewers[when]))).toBe(then);
  });

describe('refuseUnseen: the room exists and the viewer may know it does', () => {
  specify(refuseUnseen, [
    ['a room never created', 'an administrator outside it', 'room_not_found'],
    ['a deleted public room', 'its owner', 'room_not_found'],
    ['a deleted private room', 'an administrator outside it', 'room_not_found'],
    ['a private room', 'an outsider', 'room_not_found'],
    ['a private room', 'a member', 'allowed'],
    ['a private room', 'an administrator outside it', 'allowed'],
    ['a public room', 'an outsider', 'allowed'],
    ['a moderated public room', 'a banned user', 'banned'],
    ['a moderated private room', 'a banned user', 'banned'],
    ['a moderated public room', 'a member whose ban ended', 'allowed'],
    ['a moderated private room', 'an administrator outside it', 'allowed'],
  ]);
});

describe('refuseNonMember: the viewer is a member', () => {
  specify(refuseNonMember, [
    ['a room never created', 'an outsider', 'room_not_found'],
    ['a deleted public room', 'a member', 'room_not_found'],
    ['a deleted private room', 'its owner', 'room_not_found'],
    ['a private room', 'an outsider', 'room_not_found'],
    ['a private room', 'an administrator outside it', 'not_member'],
    ['a public room', 'an outsider', 'not_member'],
    ['a public room', 'an administrator outside it', 'not_member'],
    ['a private room', 'a member', 'allowed'],
    ['a private room', 'its owner', 'allowed'],
    ['a public room', 'a member', 'allowed'],
    ['a moderated public room', 'a banned user', 'banned'],
    ['a moderated private room', 'a banned user', 'banned'],
    ['a moderated public room', 'a muted member', 'allowed'],
  ]);
});

describe('refuseNonModerator: the viewer moderates the room', () => {
  specify(refuseNonModerator, [
    ['a room never created', 'a moderator', 'room_not_found'],
    ['a deleted public room', 'a moderator', 'room_not_found'],
    ['a private room', 'an outsider', 'room_not_found'],
    ['a public room', 'a moderator', 'allowed'],
    ['a private room', 'its owner', 'allowed'],
    ['a public room', 'an administrator outside it', 'allowed'],
    ['a public room', 'a member', 'forbidden'],
    ['a public room', 'an outsider', 'forbidden'],
    ['a moderated public room', 'a banned user', 'banned'],
  ]);
});

describe('refuseNonSpeaker: the viewer may post in the room', () => {
  specify(refuseNonSpeaker, [
    ['a room never created', 'a member', 'room_not_found'],
    ['a public room', 'an outsider', 'not_member'],
    ['a moderated public room', 'a muted member', 'muted'],
    ['a moderated private room', 'a muted member', 'muted'],
    ['a moderated public room', 'a member', 'allowed'],
    ['a moderated public room', 'a moderator', 'allowed'],
    ['a moderated public room', 'a banned user', 'banned'],
  ]);
});

describe('refuseNonManager: the viewer may manage the room', () => {
  specify(refuseNonManager, [
    ['a room never created', 'an administrator outside it', 'room_not_found'],
    ['a deleted private room', 'its owner', 'room_not_found'],
    ['a deleted public room', 'an administrator outside it', 'room_not_found'],
    ['a private room', 'an outsider', 'room_not_found'],
    ['a private room', 'its owner', 'allowed'],
    ['a private room', 'an administrator outside it', 'allowed'],
    ['a private room', 'an administrator who owns it', 'allowed'],
    ['a public room', 'an administrator outside it', 'allowed'],
    ['a private room', 'a member', 'forbidden'],
    ['a public room', 'a member', 'forbidden'],
    ['a public room', 'an outsider', 'forbidden'],
  ]);
});

describe('factsOf: what a published record tells the rule', () => {
  it('given a record, then its facts are its flags, its owner and its members by role', () => {
    const facts = factsOf(record({ private: true, deleted: true }));
    expect(facts).toMatchObject({ deleted: true, private: true, ownerId: 'ann' });
    expect(facts.roleOf('ann')).toBe('owner');
    expect(facts.roleOf('bob')).toBe('member');
    expect(facts.roleOf('carol')).toBeNull();
    expect(facts.roleOf('mo')).toBe('moderator');
  });

  it('given a record from before bans and mutes, then nobody is banned or muted', () => {
    const facts = factsOf(record({ private: false }));
    expect(facts.isBanned('eve')).toBe(false);
    expect(facts.isMuted('gus')).toBe(false);
  });

  it('given a ban or a mute with an end, then it holds before that time and not from it on', () => {
    const access = record({ private: false, moderated: true });
    expect(factsOf(access, new Date(LATER)).isMuted('gus')).toBe(false);
    expect(factsOf(access, new Date(Date.parse(LATER) - 1)).isMuted('gus')).toBe(true);
    expect(factsOf(access, new Date(EARLIER)).isBanned('fay')).toBe(false);
    expect(factsOf(access, new Date(Date.parse(EARLIER) - 1)).isBanned('fay')).toBe(true);
  });

  it('given a room of 5,000 members, then each one is found and no one else', () => {
    const members = Array.from({ length: 5_000 }, (_, i) => ({
      user_id: `user-${i}`,
      role: 'member' as const,
      joined_at: T,
      joined_after_seq: i,
    }));
    const facts = factsOf({ ...record({ private: true }), members });
    expect(refuseNonMember(facts, { userId: 'user-4999', isAdmin: false })).toBeNull();
    expect(refuseNonMember(facts, { userId: 'user-5000', isAdmin: false })?.code).toBe('room_not_found');
  });

  it('gives the messages clients are shown', () => {
    const privateRoom = rooms['a private room'];
    const publicRoom = rooms['a public room'];
    expect(refuseUnseen(privateRoom, viewers['an outsider'])).toEqual({
      code: 'room_not_found',
      message: 'Room not found.',
    });
    expect(refuseNonMember(publicRoom, viewers['an outsider'])).toEqual({
      code: 'not_member',
      message: 'You are not a member of this room.',
    });
    expect(refuseNonManager(publicRoom, viewers['a member'])).toEqual({
      code: 'forbidden',
      message: 'Only the room owner or an administrator may do this.',
    });
  });
});
