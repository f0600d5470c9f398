import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_FRAME_TYPES,
  objectEditedFrameText,
  textEditedFrameText,
  validClientFrame,
} from './testing/frame-arbitraries';
import { parseClientFrame } from './validate';

/**
 * The gateway parses every text frame any socket sends with `parseClientFrame`: whatever the
 * bytes, it answers a value or a coded rejection, and never throws.
 */
const expectAnswered = (text: string): void => {
  const parsed = parseClientFrame(text);
  if (parsed.ok) {
    expect(CLIENT_FRAME_TYPES).toContain(parsed.value.type);
    // What was accepted stays acceptable once passed on (unknown keys may not survive JSON).
    expect(parseClientFrame(JSON.stringify(parsed.value))).toMatchObject({
      ok: true,
      value: { type: parsed.value.type },
    });
  } else {
    expect(['invalid_frame', 'unknown_type']).toContain(parsed.error.code);
    expect(typeof parsed.error.message).toBe('string');
    expect(parsed.error.ref === null || typeof parsed.error.ref === 'string').toBe(true);
  }
};

describe('parseClientFrame under arbitrary input', () => {
  it('accepts every valid frame, unchanged', () => {
    fc.assert(
      fc.property(validClientFrame(), (frame) => {
        expect(parseClientFrame(JSON.stringify(frame))).toEqual({ ok: true, value: frame });
      }),
    );
  });

  it('answers any string with a frame or a coded rejection', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), expectAnswered), { numRuns: 1_000 });
  });

  it('answers any JSON document with a frame or a coded rejection', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectAnswered(JSON.stringify(value) ?? 'null')),
      { numRuns: 1_000 },
    );
  });

  it('answers valid frames edited as objects with a frame or a coded rejection', () => {
    fc.assert(fc.property(objectEditedFrameText(), expectAnswered), { numRuns: 1_000 });
  });

  it('answers valid frames edited as text with a frame or a coded rejection', () => {
    fc.assert(fc.property(textEditedFrameText(), expectAnswered), { numRuns: 1_000 });
  });

  it('refuses a frame that is not a JSON object, naming no reference', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
        (value) => {
          const parsed = parseClientFrame(JSON.stringify(value));
          expect(parsed).toMatchObject({ ok: false, error: { code: 'invalid_frame', ref: null } });
        },
      ),
    );
  });
});
