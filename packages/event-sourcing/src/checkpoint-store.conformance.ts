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

    it('loads nothing for a name never saved', async () => {
      expect(await store.load('relay')).toBeUndefined();
    });

    it('loads the position saved, verbatim', async () => {
      const position = JSON.stringify({ commit: '42', prepare: '41', note: 'café 😀' });
      await store.save('relay', position);
      expect(await store.load('relay')).toBe(position);
    });

    it('keeps only the newest position of a name', async () => {
      await store.save('relay', '10');
      await store.save('relay', '20');
      await store.save('relay', '15');
      expect(await store.load('relay')).toBe('15');
    });

    it('keeps names apart', async () => {
      await store.save('relay', '10');
      await store.save('projection', '3');
      await store.save('relay', '11');
      expect(await store.load('relay')).toBe('11');
      expect(await store.load('projection')).toBe('3');
      expect(await store.load('relay-2')).toBeUndefined();
    });

    it('finds what was saved after a restart', async () => {
      await store.save('relay', '10');
      await store.save('projection', '3');
      await store.close();
      store = await place.open();
      expect(await store.load('relay')).toBe('10');
      expect(await store.load('projection')).toBe('3');
    });
  });
};
