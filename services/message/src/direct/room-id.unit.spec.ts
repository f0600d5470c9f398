import { describe, expect, it } from 'vitest';
import { directMembersOf, directRoomId } from './room-id';

describe('directRoomId', () => {
  it('is the same whoever of the pair asks', () => {
    expect(directRoomId('alice', 'bob')).toBe(directRoomId('bob', 'alice'));
    expect(directMembersOf('bob', 'alice')).toEqual(['alice', 'bob']);
  });

  it('tells pairs apart whatever characters their user ids hold', () => {
    const ids = new Set([
      directRoomId('a:b', 'c'),
      directRoomId('a', 'b:c'),
      directRoomId('a', 'b'),
      directRoomId('a","b', 'c'),
      directRoomId('a', 'a'),
      directRoomId('b', 'b'),
    ]);
    expect(ids.size).toBe(6);
  });

  it('gives notes to self one member, and a valid room id for any user id', () => {
    expect(directMembersOf('alice', 'alice')).toEqual(['alice']);
    expect(directRoomId('ü ✓/\n', 'x'.repeat(128))).toMatch(/^dm-[0-9a-f-]{36}$/);
  });
});
