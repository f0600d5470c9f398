import type { RoomAccess, RoomAccessMember } from '@chat/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomAccessStore } from './port';

/** Where an adapter keeps its store for one test: a SQLite file, a MongoDB database. */
export interface RoomAccessPlace {
  /** Opens a store on this place. Opened again, it must find what the previous store saved, as after a restart. */
  open(): Promise<RoomAccessStore>;
  /** Removes the place once its stores are closed. */
  dispose(): Promise<void>;
}

const T = '2024-05-01T10:00:00.000Z';

const member = (user_id: string, joined_after_seq = 0): RoomAccessMember => ({
  user_id,
  role: 'member',
  joined_at: T,
  joined_after_seq,
});
const owner = (user_id: string): RoomAccessMember => ({ ...member(user_id), role: 'owner' });

/** The state of a public room at a revision: owned by its first member, unless told otherwise. */
const room = (
  room_id: string,
  revision: number,
  members: RoomAccessMember[],
  more: Partial<RoomAccess> = {},
): RoomAccess => ({
  room_id,
  kind: 'group',
  private: false,
  deleted: false,
  owner_id: members[0]?.user_id ?? 'ann',
  members,
  revision,
  ...more,
});

const manyMembers = (count: number): RoomAccessMember[] =>
  Array.from({ length: count }, (_, i) => member(`user-${i}`, i));

/** The one suite every RoomAccessStore adapter must pass; `freshPlace` gives each test an empty place. */
export const describeRoomAccessStore = (
  adapter: string,
  freshPlace: () => Promise<RoomAccessPlace>,
): void => {
  describe(`room access store conformance: ${adapter}`, () => {
    let place: RoomAccessPlace;
    let store: RoomAccessStore;

    beforeEach(async () => {
      place = await freshPlace();
      store = await place.open();
    });
    afterEach(async () => {
      await store.close();
      await place.dispose();
    });

    const restart = async () => {
      await store.close();
      store = await place.open();
    };
    const revisionOf = async (roomId: string) => (await store.get(roomId))?.revision;

    it('knows nothing before anything is saved', async () => {
      expect(await store.get('r1')).toBeNull();
      expect(await store.roomsOf('ann')).toEqual([]);
      expect(await store.readOffsets()).toEqual([]);
    });

    it('returns a saved record as it was published, its retention included', async () => {
      const saved = room('r1', 4, [owner('ann'), member('bob', 17)], { private: true, retention_days: 7 });
      await store.save([saved], []);
      expect(await store.get('r1')).toEqual(saved);
      expect(await store.get('r2')).toBeNull();
    });

    it('returns a direct room with its kind', async () => {
      const direct = room('dm-1', 2, [member('ann'), member('bob')], {
        kind: 'direct',
        private: true,
        owner_id: 'system',
      });
      await store.save([direct], []);
      expect(await store.get('dm-1')).toEqual(direct);
      expect((await store.roomsOf('bob')).map((each) => each.room_id)).toEqual(['dm-1']);
    });

    it('replaces a room only with a newer revision, across batches', async () => {
      await store.save([room('r1', 5, [owner('ann')])], []);
      await store.save([room('r1', 3, [owner('ann'), member('bob')])], []);
      expect(await store.get('r1')).toEqual(room('r1', 5, [owner('ann')]));
      await store.save([room('r1', 5, [owner('ann'), member('carol')])], []);
      expect(await store.get('r1')).toEqual(room('r1', 5, [owner('ann')]));
      await store.save([room('r1', 6, [owner('ann'), member('dave')])], []);
      expect(await store.get('r1')).toEqual(room('r1', 6, [owner('ann'), member('dave')]));
      expect(await store.roomsOf('dave')).toEqual([{ room_id: 'r1', role: 'member', joined_after_seq: 0 }]);
      expect(await store.roomsOf('bob')).toEqual([]);
      expect(await store.roomsOf('carol')).toEqual([]);
    });

    it('keeps the newest revision within a batch, in either order', async () => {
      await store.save(
        [
          room('up', 1, [owner('ann')]),
          room('down', 9, [owner('ann')]),
          room('up', 3, [owner('ann'), member('bob')]),
          room('down', 7, [owner('ann'), member('bob')]),
          room('up', 2, [owner('ann')]),
          room('same', 4, [owner('ann')]),
          room('same', 4, [owner('ann'), member('bob')]),
        ],
        [],
      );
      expect(await store.get('up')).toEqual(room('up', 3, [owner('ann'), member('bob')]));
      expect(await store.get('down')).toEqual(room('down', 9, [owner('ann')]));
      expect(await store.get('same')).toEqual(room('same', 4, [owner('ann')]));
      expect((await store.roomsOf('bob')).map((each) => each.room_id)).toEqual(['up']);
    });

    it('lists the rooms a user belongs to by room id, with their role and join point', async () => {
      await store.save(
        [
          room('room-b', 1, [owner('bob'), member('ann', 3)]),
          room('room-a', 2, [owner('ann'), member('bob', 0)]),
          room('room-c', 1, [owner('carol')], { private: true }),
          room('room-d', 5, [owner('dave'), member('ann', 12)], { private: true }),
        ],
        [],
      );
      expect(await store.roomsOf('ann')).toEqual([
        { room_id: 'room-a', role: 'owner', joined_after_seq: 0 },
        { room_id: 'room-b', role: 'member', joined_after_seq: 3 },
        { room_id: 'room-d', role: 'member', joined_after_seq: 12 },
      ]);
      expect(await store.roomsOf('carol')).toEqual([
        { room_id: 'room-c', role: 'owner', joined_after_seq: 0 },
      ]);
      expect(await store.roomsOf('erin')).toEqual([]);
    });

    it('follows members joining, leaving and changing role across revisions', async () => {
      await store.save([room('r1', 1, [owner('ann'), member('bob', 2)])], []);
      await store.save([room('r1', 2, [owner('ann'), member('carol', 5)])], []);
      expect(await store.roomsOf('bob')).toEqual([]);
      expect(await store.roomsOf('carol')).toEqual([{ room_id: 'r1', role: 'member', joined_after_seq: 5 }]);

      await store.save([room('r1', 3, [member('ann'), owner('carol'), member('bob', 20)])], []);
      // Redelivered, the older state changes nothing.
      await store.save([room('r1', 2, [owner('ann'), member('carol', 5)])], []);
      expect(await store.roomsOf('ann')).toEqual([{ room_id: 'r1', role: 'member', joined_after_seq: 0 }]);
      expect(await store.roomsOf('bob')).toEqual([{ room_id: 'r1', role: 'member', joined_after_seq: 20 }]);
      expect(await store.roomsOf('carol')).toEqual([{ room_id: 'r1', role: 'owner', joined_after_seq: 0 }]);
    });

    it('returns a deleted room, but never among the rooms of its members', async () => {
      await store.save([room('r1', 1, [owner('ann'), member('bob')]), room('r2', 1, [owner('bob')])], []);
      const deleted = room('r1', 2, [owner('ann'), member('bob')], { deleted: true });
      await store.save([deleted], []);
      await store.save([room('r1', 1, [owner('ann'), member('bob')])], []);
      expect(await store.get('r1')).toEqual(deleted);
      expect(await store.roomsOf('ann')).toEqual([]);
      expect(await store.roomsOf('bob')).toEqual([{ room_id: 'r2', role: 'owner', joined_after_seq: 0 }]);
    });

    it('saves read offsets with the records, and only ever moves them forward', async () => {
      await store.save(
        [room('r1', 1, [owner('ann')])],
        [
          { partition: 3, nextOffset: 5 },
          { partition: 0, nextOffset: 10 },
        ],
      );
      await store.save(
        [],
        [
          { partition: 0, nextOffset: 7 },
          { partition: 1, nextOffset: 2 },
          { partition: 3, nextOffset: 6 },
        ],
      );
      expect(await store.readOffsets()).toEqual([
        { partition: 0, nextOffset: 10 },
        { partition: 1, nextOffset: 2 },
        { partition: 3, nextOffset: 6 },
      ]);
      expect(await revisionOf('r1')).toBe(1);
    });

    it('keeps its generation across restarts, and a fresh place gets another', async () => {
      const generation = await store.generation();
      expect(generation).toMatch(/\S/);
      await store.save([room('r1', 1, [owner('ann')])], [{ partition: 0, nextOffset: 1 }]);
      await restart();
      expect(await store.generation()).toBe(generation);

      const elsewhere = await freshPlace();
      const other = await elsewhere.open();
      try {
        expect(await other.generation()).not.toBe(generation);
      } finally {
        await other.close();
        await elsewhere.dispose();
      }
    });

    it('finds everything again after a restart', async () => {
      const records = [
        room('r1', 3, [owner('ann'), member('bob', 4)], { private: true }),
        room('r2', 1, [owner('bob')], { deleted: true }),
      ];
      await store.save(records, [{ partition: 2, nextOffset: 8 }]);
      await restart();
      expect(await store.get('r1')).toEqual(records[0]);
      expect(await store.get('r2')).toEqual(records[1]);
      expect(await store.roomsOf('bob')).toEqual([{ room_id: 'r1', role: 'member', joined_after_seq: 4 }]);
      expect(await store.readOffsets()).toEqual([{ partition: 2, nextOffset: 8 }]);
      await store.save([room('r1', 2, [owner('ann')])], [{ partition: 2, nextOffset: 6 }]);
      expect(await store.get('r1')).toEqual(records[0]);
      expect(await store.readOffsets()).toEqual([{ partition: 2, nextOffset: 8 }]);
    });

    it('saves a batch of 1,000 records', async () => {
      const records = Array.from({ length: 1_000 }, (_, i) =>
        room(`room-${String(i).padStart(4, '0')}`, i + 1, [owner(`user-${i % 50}`), member('everyone', i)]),
      );
      await store.save(records, [{ partition: 0, nextOffset: 1_000 }]);
      expect(await store.get('room-0999')).toEqual(records[999]);
      const everyone = await store.roomsOf('everyone');
      expect(everyone).toHaveLength(1_000);
      expect(everyone[500]).toEqual({ room_id: 'room-0500', role: 'member', joined_after_seq: 500 });
      expect((await store.roomsOf('user-7')).map((each) => each.room_id)).toEqual(
        records.filter((_, i) => i % 50 === 7).map((each) => each.room_id),
      );
    });

    it('inserts, replaces and skips rooms by the hundred in one batch', async () => {
      const ids = Array.from({ length: 100 }, (_, i) => `room-${String(i).padStart(3, '0')}`);
      const at = (revision: number, id: string) => room(id, revision, [owner(`owner-${revision}`)]);
      await store.save(
        ids.map((id) => at(2, id)),
        [],
      );
      const unseen = ids.map((id) => `new-${id}`);
      await store.save(
        [...ids.map((id, i) => at(i % 2 === 0 ? 3 : 1, id)), ...unseen.map((id) => at(1, id))],
        [],
      );
      expect(await store.roomsOf('owner-3')).toHaveLength(50);
      expect(await store.roomsOf('owner-2')).toHaveLength(50);
      expect(await store.roomsOf('owner-1')).toEqual(
        unseen.map((id) => ({ room_id: id, role: 'owner', joined_after_seq: 0 })),
      );
      expect(await store.get('room-098')).toEqual(at(3, 'room-098'));
      expect(await store.get('room-099')).toEqual(at(2, 'room-099'));
    });

    it('keeps a room of 5,000 members as its members come and go', async () => {
      const crowd = room('big', 1, [owner('ann'), ...manyMembers(5_000)]);
      await store.save([crowd], []);
      expect(await store.get('big')).toEqual(crowd);
      expect(await store.roomsOf('user-4321')).toEqual([
        { room_id: 'big', role: 'member', joined_after_seq: 4321 },
      ]);

      const next = room('big', 2, [
        owner('ann'),
        ...crowd.members.slice(1).filter((each) => each.user_id !== 'user-4321'),
        member('newcomer', 9_000),
      ]);
      await store.save([next], []);
      expect(await store.get('big')).toEqual(next);
      expect(await store.roomsOf('user-4321')).toEqual([]);
      expect(await store.roomsOf('newcomer')).toEqual([
        { room_id: 'big', role: 'member', joined_after_seq: 9_000 },
      ]);
      expect(await store.roomsOf('user-0')).toEqual([
        { room_id: 'big', role: 'member', joined_after_seq: 0 },
      ]);
    });

    it('keeps the newest state of each room when two stores insert it at once', async () => {
      const second = await place.open();
      try {
        const rooms = Array.from({ length: 50 }, (_, i) => `room-${i}`);
        const at = (revision: number) => rooms.map((id) => room(id, revision, [owner(`owner-${revision}`)]));
        const saving = await Promise.allSettled([
          store.save([...at(1), ...at(3)], [{ partition: 0, nextOffset: 3 }]),
          second.save(at(2), [{ partition: 0, nextOffset: 2 }]),
        ]);
        expect(saving).toEqual([
          { status: 'fulfilled', value: undefined },
          { status: 'fulfilled', value: undefined },
        ]);
        for (const id of rooms) expect(await revisionOf(id)).toBe(3);
        expect(await second.roomsOf('owner-3')).toHaveLength(50);
        expect(await store.readOffsets()).toEqual([{ partition: 0, nextOffset: 3 }]);
      } finally {
        await second.close();
      }
    });
  });
};
