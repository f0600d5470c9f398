import { describe, expect, it } from 'vitest';
import { PersistentMap } from './persistent-map';

const entries = <K, V>(map: PersistentMap<K, V>, keys: K[]) => keys.map((key) => map.get(key));

describe('PersistentMap', () => {
  it('leaves every earlier version unchanged by later updates', () => {
    const empty = PersistentMap.empty<string, number>();
    const one = empty.set('a', 1);
    const two = one.set('b', 2);
    const changed = two.set('a', 10);
    const removed = changed.delete('b');

    expect(entries(empty, ['a', 'b'])).toEqual([undefined, undefined]);
    expect(entries(one, ['a', 'b'])).toEqual([1, undefined]);
    expect(entries(two, ['a', 'b'])).toEqual([1, 2]);
    expect(entries(changed, ['a', 'b'])).toEqual([10, 2]);
    expect(entries(removed, ['a', 'b'])).toEqual([10, undefined]);
    expect([empty.size, one.size, two.size, changed.size, removed.size]).toEqual([0, 1, 2, 2, 1]);
    expect(removed.has('b')).toBe(false);
    expect(two.has('b')).toBe(true);
  });

  it('keeps both branches when an older version is updated again', () => {
    const base = PersistentMap.empty<string, number>().set('a', 1);
    const left = base.set('b', 2);
    const right = base.set('c', 3);

    expect(entries(left, ['a', 'b', 'c'])).toEqual([1, 2, undefined]);
    expect(entries(right, ['a', 'b', 'c'])).toEqual([1, undefined, 3]);
    expect(entries(left, ['a', 'b', 'c'])).toEqual([1, 2, undefined]);
    expect(entries(base, ['a', 'b', 'c'])).toEqual([1, undefined, undefined]);
  });

  it('starts independent maps from the shared empty version', () => {
    const empty = PersistentMap.empty<string, number>();
    const first = empty.set('a', 1);
    const second = empty.set('a', 2);

    expect(first.get('a')).toBe(1);
    expect(second.get('a')).toBe(2);
    expect(empty.size).toBe(0);
  });

  it('deleting an absent key returns the same version', () => {
    const map = PersistentMap.empty<string, number>().set('a', 1);
    expect(map.delete('b')).toBe(map);
  });

  it('folds a long chain of updates in linear time', () => {
    let map = PersistentMap.empty<number, number>();
    for (let index = 0; index < 100_000; index++) map = map.set(index, index).delete(index - 10);
    expect(map.size).toBe(10);
    expect(map.get(99_999)).toBe(99_999);
  });
});
