import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMlsFraming } from './framing';

describe('readMlsFraming on any bytes', () => {
  it('answers a framing or malformed_mls, never throws: no crafted message stops the room', () => {
    fc.assert(
      // Version mls10 and a known wire format first, so the decoder goes past its first check.
      fc.property(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ maxLength: 2_000 }), (wireFormat, rest) => {
        const bytes = Buffer.concat([Buffer.from([0, 1, 0, wireFormat]), rest]);
        const read = readMlsFraming(bytes.toString('base64'), 'room-1');
        expect(read.ok || read.error.code === 'malformed_mls').toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
