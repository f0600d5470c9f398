import type { MessageServiceEvent } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { membershipChangeOf, refuseRoomPresence } from './membership';

const T = '2024-05-01T10:00:00.000Z';

describe("the view of rooms, from the message service's events", () => {
  it.each<[string, MessageServiceEvent, unknown]>([
    [
      'a created room',
      {
        type: 'RoomCreated',
        data: { room_id: 'r1', name: 'R', private: true, owner_id: 'ann', created_at: T },
      },
      { kind: 'room_saved', room_id: 'r1', private: true },
    ],
    [
      'a room made public',
      {
        type: 'RoomUpdated',
        data: { room_id: 'r1', name: 'R', private: false, updated_by: 'ann', updated_at: T },
      },
      { kind: 'room_saved', room_id: 'r1', private: false },
    ],
    [
      'a deleted room',
      { type: 'RoomDeleted', data: { room_id: 'r1', deleted_by: 'ann', deleted_at: T } },
      { kind: 'room_deleted', room_id: 'r1' },
    ],
    [
      'a member who joined',
      {
        type: 'MemberJoined',
        data: { room_id: 'r1', user_id: 'bob', role: 'member', added_by: 'ann', joined_at: T },
      },
      { kind: 'member_added', room_id: 'r1', user_id: 'bob' },
    ],
    [
      'a member who left',
      { type: 'MemberLeft', data: { room_id: 'r1', user_id: 'bob', removed_by: 'bob', left_at: T } },
      { kind: 'member_removed', room_id: 'r1', user_id: 'bob' },
    ],
  ])('follows %s', (_, event, change) => {
    expect(membershipChangeOf(event)).toEqual(change);
  });

  it('ignores messages', () => {
    const sent: MessageServiceEvent = {
      type: 'MessageDeleted',
      data: { room_id: 'r1', message_id: 'm1', seq: 1, deleted_by: 'ann', deleted_at: T },
    };
    expect(membershipChangeOf(sent)).toBeNull();
  });
});

describe("who may see a room's presence", () => {
  it('lets members see their room, public or private', () => {
    expect(refuseRoomPresence({ private: true, members: ['ann', 'bob'] }, 'bob')).toBeNull();
    expect(refuseRoomPresence({ private: false, members: ['bob'] }, 'bob')).toBeNull();
  });

  it('answers a non-member as history does: a private room is not found, a public one is not theirs', () => {
    expect(refuseRoomPresence({ private: true, members: ['ann'] }, 'eve')).toMatchObject({
      code: 'room_not_found',
    });
    expect(refuseRoomPresence({ private: false, members: ['ann'] }, 'eve')).toMatchObject({
      code: 'not_member',
    });
  });

  it('does not find a missing or deleted room', () => {
    expect(refuseRoomPresence(null, 'ann')).toMatchObject({ code: 'room_not_found' });
  });
});
