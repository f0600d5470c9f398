import { compile, RoomId } from '@chat/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directRoomId } from './room-id';

const validRoomId = compile(RoomId);

const userId = fc.oneof(fc.string({ minLength: 1, maxLength: 128 }), fc.constantFrom('a', 'a:b', 'b:c', 'c'));

describe('the direct room of a pair', () => {
  it('is one room whoever asks, and a valid room id whatever the user ids hold', () => {
    fc.assert(
      fc.property(userId, userId, (one, other) => {
        const id = directRoomId(one, other);
        expect(directRoomId(other, one)).toBe(id);
        expect(validRoomId.check(id)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it('differs between different pairs', () => {
    fc.assert(
      fc.property(userId, userId, userId, userId, (a, b, c, d) => {
        fc.pre(JSON.stringify([a, b].sort()) !== JSON.stringify([c, d].sort()));
        expect(directRoomId(a, b)).not.toBe(directRoomId(c, d));
      }),
      { numRuns: 1_000 },
    );
  });
});
