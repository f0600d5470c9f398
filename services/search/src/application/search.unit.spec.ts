import type { RoomAccess } from '@chat/contracts';
import { factsOf, type RoomAccessView } from '@chat/room-access';
import { describe, expect, it } from 'vitest';
import { roomsToSearch } from './search';

const T = '2024-05-01T10:00:00.000Z';

const room = (roomId: string, members: string[], more: Partial<RoomAccess> = {}): RoomAccess => ({
  room_id: roomId,
  kind: 'group',
  private: false,
  deleted: false,
  owner_id: members[0] ?? 'nobody',
  members: members.map((user_id) => ({ user_id, role: 'member', joined_at: T, joined_after_seq: 0 })),
  revision: 1,
  ...more,
});

/** A view that has read these rooms' records. */
const viewOf = (...rooms: RoomAccess[]): Pick<RoomAccessView, 'roomsOf' | 'decide'> => ({
  roomsOf: async (userId) =>
    rooms
      .filter((each) => !each.deleted && each.members.some((member) => member.user_id === userId))
      .map((each) => ({ room_id: each.room_id, role: 'member', joined_after_seq: 0 })),
  decide: async (roomId, refuse) => {
    const access = rooms.find((each) => each.room_id === roomId) ?? null;
    return { access, refusal: refuse(access && factsOf(access)) };
  },
});

const access = viewOf(
  room('open', ['ann', 'bob']),
  room('secret', ['ann'], { private: true }),
  room('gone', ['ann', 'bob'], { deleted: true }),
);
const viewer = (userId: string) => ({ userId, isAdmin: false });

describe('which rooms a search covers', () => {
  it("covers exactly the viewer's rooms when no room is named", async () => {
    expect(await roomsToSearch(access, viewer('ann'), undefined)).toEqual({
      ok: true,
      value: ['open', 'secret'],
    });
    expect(await roomsToSearch(access, viewer('eve'), undefined)).toEqual({ ok: true, value: [] });
  });

  it('lets a member search their room, public or private', async () => {
    expect(await roomsToSearch(access, viewer('bob'), 'open')).toEqual({ ok: true, value: ['open'] });
    expect(await roomsToSearch(access, viewer('ann'), 'secret')).toEqual({ ok: true, value: ['secret'] });
  });

  it('answers a non-member as history does: a private, missing or deleted room is not found', async () => {
    for (const roomId of ['secret', 'missing', 'gone']) {
      expect(await roomsToSearch(access, viewer('bob'), roomId)).toMatchObject({
        ok: false,
        error: { code: 'room_not_found' },
      });
    }
    expect(await roomsToSearch(access, viewer('eve'), 'open')).toMatchObject({
      ok: false,
      error: { code: 'not_member' },
    });
  });
});
