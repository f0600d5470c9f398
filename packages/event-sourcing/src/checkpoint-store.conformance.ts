import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointStore } from './checkpoint-store';

export type ClosableCheckpointStore = CheckpointStore & { close(): void | Promise<void> };

/** Where an adapter keeps checkpoints for one test: a SQLite file, a MongoDB database. */
export interface CheckpointPlace {
  /** Opens a store on this place. Opened again, it must find what the previous store saved, as after a restart. */
  open(): Promise<ClosableCheckpointStore>;
  /** Removes the place once its stores are closed. */
  dispose(): Promise<void>;
}

/** The one suite every CheckpointStore adapter must pass; `freshPlace` gives each test an empty place. */
export const describeCheckpointStore = (
  adapter: string,
  freshPlace: () => Promise<CheckpointPlace>,
): void => {
  describe(`checkpoint store conformance: ${adapter}`, () => {
    let place: CheckpointPlace;
    let store: ClosableCheckpointStore;

    beforeEach(async () => {
      place = await freshPlace();
      store = await place.open();
    });
    afterEach(async () => {
      await store.close();
      await place.dispose();
    });

    const TTL = 60_000;

    it('loads nothing for a name never saved', async () => {
      expect(await store.load('relay')).toBeUndefined();
    });

    it('saves for the lease holder only, and loads the position verbatim', async () => {
      expect(await store.save('relay', '10', 'me')).toBe(false);
      expect(await store.load('relay')).toBeUndefined();
      expect(await store.acquire('relay', 'me', TTL)).toBe(true);
      expect(await store.save('relay', '4207/4199', 'me')).toBe(true);
      expect(await store.load('relay')).toBe('4207/4199');
    });

    it('never moves a checkpoint backwards', async () => {
      await store.acquire('relay', 'me', TTL);
      await store.save('relay', '10', 'me');
      await store.save('relay', '20', 'me');
      expect(await store.save('relay', '15', 'me')).toBe(true);
      expect(await store.load('relay')).toBe('20');
      await store.save('relay', '100', 'me'); // compared as numbers, not as text
      expect(await store.load('relay')).toBe('100');
      await store.save('relay', '99/7', 'me');
      expect(await store.load('relay')).toBe('100');
    });

    it('gives the lease to one owner at a time until it expires or is released', async () => {
      expect(await store.acquire('relay', 'first', 200)).toBe(true);
      expect(await store.acquire('relay', 'second', TTL)).toBe(false);
      expect(await store.acquire('relay', 'first', 200)).toBe(true); // renewal
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await store.acquire('relay', 'second', TTL)).toBe(true); // expired: taken over
      expect(await store.acquire('relay', 'first', TTL)).toBe(false);
      await store.release('relay', 'first'); // not its own: nothing happens
      expect(await store.acquire('relay', 'first', TTL)).toBe(false);
      await store.release('relay', 'second');
      expect(await store.acquire('relay', 'first', TTL)).toBe(true);
    });

    it('hands the lease over at once when its holder is known to be dead', async () => {
      expect(await store.holder('relay')).toBeUndefined();
      await store.acquire('relay', 'crashed', TTL);
      expect(await store.holder('relay')).toBe('crashed');
      expect(await store.acquire('relay', 'successor', TTL, 'someone-else')).toBe(false);
      expect(await store.acquire('relay', 'successor', TTL, 'crashed')).toBe(true);
      expect(await store.holder('relay')).toBe('successor');
      expect(await store.save('relay', '5', 'crashed')).toBe(false);
    });

    it('fences off an owner that lost its lease: its saves are refused', async () => {
      await store.acquire('relay', 'stalled', 100);
      await store.save('relay', '10', 'stalled');
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await store.acquire('relay', 'successor', TTL)).toBe(true);
      expect(await store.save('relay', '30', 'successor')).toBe(true);
      expect(await store.save('relay', '20', 'stalled')).toBe(false);
      expect(await store.save('relay', '40', 'stalled')).toBe(false);
      expect(await store.load('relay')).toBe('30');
    });

    it('lets an owner whose lease ran out save until another takes the lease', async () => {
      await store.acquire('relay', 'slow', 100);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await store.save('relay', '10', 'slow')).toBe(true);
      expect(await store.acquire('relay', 'successor', TTL)).toBe(true);
      expect(await store.save('relay', '20', 'slow')).toBe(false);
      expect(await store.load('relay')).toBe('10');
    });

    it('keeps names apart', async () => {
      await store.acquire('relay', 'me', TTL);
      await store.acquire('projection', 'me', TTL);
      await store.save('relay', '10', 'me');
      await store.save('projection', '3', 'me');
      await store.save('relay', '11', 'me');
      expect(await store.load('relay')).toBe('11');
      expect(await store.load('projection')).toBe('3');
      expect(await store.load('relay-2')).toBeUndefined();
      expect(await store.acquire('relay-2', 'other', TTL)).toBe(true);
    });

    it('finds what was saved after a restart', async () => {
      await store.acquire('relay', 'me', TTL);
      await store.save('relay', '10', 'me');
      await store.close();
      store = await place.open();
      expect(await store.load('relay')).toBe('10');
      expect(await store.acquire('relay', 'someone-else', TTL)).toBe(false);
    });
  });
};
