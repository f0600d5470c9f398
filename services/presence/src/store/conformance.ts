import { describe, expect, it } from 'vitest';
import { unknownUser, type PresenceState } from '../users/presence';
import type { PresenceStore } from './port';

/** The one suite every PresenceStore adapter passes. */
export const presenceStoreConformance = (
  name: string,
  open: () => Promise<{ store: PresenceStore; dispose: () => Promise<void> }>,
) => {
  const id = (kind: string) => `${kind}-${crypto.randomUUID().slice(0, 8)}`;
  const withLeases = (userId: string, ...seenAt: number[]): PresenceState => ({
    ...unknownUser(userId),
    connections: Object.fromEntries(seenAt.map((seen_at, i) => [`c${i}`, { gateway: 'g1', seen_at }])),
    status: seenAt.length > 0 ? 'online' : 'offline',
    last_seen: seenAt.length > 0 ? Math.max(...seenAt) : null,
  });
  const sorted = (values: string[]) => [...values].sort();

  describe(`PresenceStore conformance: ${name}`, () => {
    it('keeps a user’s presence as it was put, apart from the caller’s copy', async () => {
      const { store, dispose } = await open();
      const alice = withLeases(id('alice'), 1_000);
      await store.putUser(alice);
      alice.connections.c9 = { gateway: 'g2', seen_at: 2_000 };
      expect(await store.getUser(alice.user_id)).toEqual(withLeases(alice.user_id, 1_000));
      expect(await store.getUser(id('nobody'))).toBeNull();
      await dispose();
    });

    it('reads many users in the order asked, null for those never put', async () => {
      const { store, dispose } = await open();
      const [alice, bob, nobody] = [id('alice'), id('bob'), id('nobody')];
      await store.putUser(withLeases(alice, 1_000));
      await store.putUser(withLeases(bob));
      expect(await store.getUsers([bob, nobody, alice])).toEqual([
        withLeases(bob),
        null,
        withLeases(alice, 1_000),
      ]);
      expect(await store.getUsers([])).toEqual([]);
      await dispose();
    });

    it('finds the users with a connection last heard from before a time, until they have none', async () => {
      const { store, dispose } = await open();
      const [alice, bob, carol] = [id('alice'), id('bob'), id('carol')];
      await store.putUser(withLeases(alice, 5_000, 1_000));
      await store.putUser(withLeases(bob, 3_000));
      await store.putUser(withLeases(carol));
      expect(await store.usersSeenBefore(1_000)).toEqual([]);
      expect(await store.usersSeenBefore(2_000)).toEqual([alice]);
      expect(sorted(await store.usersSeenBefore(4_000))).toEqual(sorted([alice, bob]));
      await store.putUser(withLeases(alice, 5_000));
      expect(await store.usersSeenBefore(4_000)).toEqual([bob]);
      await store.putUser(withLeases(bob));
      expect(await store.usersSeenBefore(10_000)).toEqual([alice]);
      await dispose();
    });

    it('forgets an erased user for good, last seen included, and keeps others', async () => {
      const { store, dispose } = await open();
      const [alice, bob] = [id('alice'), id('bob')];
      await store.putUser(withLeases(alice, 1_000));
      await store.putUser(withLeases(bob, 1_000));
      await store.eraseUser(alice);
      await store.putUser(withLeases(alice, 2_000));
      expect(await store.getUsers([alice, bob])).toEqual([null, withLeases(bob, 1_000)]);
      expect(await store.usersSeenBefore(10_000)).toEqual([bob]);
      await dispose();
    });
  });
};
