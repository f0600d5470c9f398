import { compile, MessageId } from '@chat/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editIdFor, messageIdFor } from './message-id';

const validMessageId = compile(MessageId);

/** Parts that share separators and prefixes, where a careless encoding would let two inputs meet. */
const part = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'a:b', 'b', ':', '","', '\\'));
const triple = fc.tuple(part, part, part);

describe('derived message and edit ids', () => {
  it('are valid message ids for any room, user and command', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (room, user, command) => {
        expect(validMessageId.check(messageIdFor(room, user, command))).toBe(true);
        expect(validMessageId.check(editIdFor(room, user, command))).toBe(true);
      }),
    );
  });

  it('differ whenever any part differs, however the parts split', () => {
    fc.assert(
      fc.property(triple, triple, (one, other) => {
        fc.pre(JSON.stringify(one) !== JSON.stringify(other));
        expect(messageIdFor(...one)).not.toBe(messageIdFor(...other));
        expect(editIdFor(...one)).not.toBe(messageIdFor(...other));
      }),
      { numRuns: 1_000 },
    );
  });
});
