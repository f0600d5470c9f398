import { describe, expect, it } from 'vitest';
import type { ConnectionRegistry } from './connection-registry';

/** The one suite every ConnectionRegistry adapter passes. */
export const connectionRegistryConformance = (
  name: string,
  open: () => Promise<{ registry: ConnectionRegistry; dispose: () => Promise<void> }>,
) => {
  const user = () => `user-${crypto.randomUUID()}`;

  describe(`ConnectionRegistry conformance: ${name}`, () => {
    it('grants up to the limit, then refuses', async () => {
      const { registry, dispose } = await open();
      const alice = user();
      expect(await registry.acquire(alice, 'c1', 2)).toBe(true);
      expect(await registry.acquire(alice, 'c2', 2)).toBe(true);
      expect(await registry.acquire(alice, 'c3', 2)).toBe(false);
      await dispose();
    });

    it('frees a slot on release', async () => {
      const { registry, dispose } = await open();
      const alice = user();
      await registry.acquire(alice, 'c1', 1);
      expect(await registry.acquire(alice, 'c2', 1)).toBe(false);
      await registry.release(alice, 'c1');
      expect(await registry.acquire(alice, 'c2', 1)).toBe(true);
      await dispose();
    });

    it('counts users apart and treats a repeated acquire as the same connection', async () => {
      const { registry, dispose } = await open();
      const [alice, bob] = [user(), user()];
      expect(await registry.acquire(alice, 'c1', 1)).toBe(true);
      expect(await registry.acquire(alice, 'c1', 1)).toBe(true);
      expect(await registry.acquire(bob, 'c1', 1)).toBe(true);
      await dispose();
    });

    it('never grants more than the limit under concurrent acquires', async () => {
      const { registry, dispose } = await open();
      const alice = user();
      const granted = await Promise.all(
        Array.from({ length: 20 }, (_, i) => registry.acquire(alice, `c${i}`, 5)),
      );
      expect(granted.filter(Boolean)).toHaveLength(5);
      await dispose();
    });
  });
};
