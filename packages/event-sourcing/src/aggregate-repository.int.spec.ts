import { accept, type Decider } from './decider';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { describe, expect, it } from 'vitest';
import { AggregateRepository } from './aggregate-repository';

/** A counter per stream: its state is how many times it was bumped, which is also its weight. */
type Bump = { type: 'Bump' };
type Bumped = { type: 'Bumped'; data: Record<string, never> };
const counter: Decider<Bump, Bumped, number> = {
  initialState: 0,
  decide: () => accept({ type: 'Bumped', data: {} }),
  evolve: (count) => count + 1,
};

describe('AggregateRepository cache', () => {
  it('keeps the cached states within their total weight, forgetting the least recently used', async () => {
    const store = SqliteEventStore.open(':memory:');
    const repository = new AggregateRepository(store, counter, { weigh: (count) => count, cacheWeight: 10 });
    const bump = (stream: string, times: number) =>
      repository.executeMany(
        Array.from({ length: times }, (_, n) => ({
          streamName: stream,
          command: { type: 'Bump' as const },
          commandId: `${stream}-${n}`,
          metadata: {},
        })),
      );
    await bump('a', 4);
    await bump('b', 4);
    expect(repository.cacheLoad).toBe(8);
    await bump('c', 4);
    // a (the least recently used) was forgotten; b and c stay.
    expect(repository.cacheLoad).toBe(8);
    // A state heavier than the whole budget is kept alone, and read again from the store next time.
    await bump('d', 12);
    expect(repository.cacheLoad).toBe(12);
    expect((await repository.load('a')).state).toBe(4);
    expect(repository.cacheLoad).toBe(4);
    await store.close();
  });
});
