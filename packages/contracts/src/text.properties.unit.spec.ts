import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, hasHiddenCharacters } from './text';

/** Text as an attacker writes it: any code points, with the hidden ones much more often than chance. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom(
        '\u0000',
        '\u0007',
        '\n',
        '\t',
        '\r',
        '\u007F',
        '\u0085',
        '\u202E',
        '\u2066',
        '\u200F',
        '\u0301',
      ),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

describe('cleanText under arbitrary input', () => {
  it('cleans once for good: cleaning clean text changes nothing', () => {
    fc.assert(
      fc.property(hostileText, fc.boolean(), (raw, multiline) => {
        const clean = cleanText(raw, { multiline });
        expect(cleanText(clean, { multiline })).toBe(clean);
      }),
      { numRuns: 1_000 },
    );
  });

  it('leaves no hidden character, and keeps line breaks only in multiline text', () => {
    fc.assert(
      fc.property(hostileText, fc.boolean(), (raw, multiline) => {
        const clean = cleanText(raw, { multiline });
        expect(hasHiddenCharacters(clean, { multiline })).toBe(false);
        if (!multiline) expect(clean).not.toMatch(/[\n\t]/u);
        expect(clean).toBe(clean.normalize('NFC'));
      }),
      { numRuns: 1_000 },
    );
  });

  it('changes text with no hidden character only by normalising it', () => {
    fc.assert(
      fc.property(hostileText, (raw) => {
        if (!hasHiddenCharacters(raw)) expect(cleanText(raw)).toBe(raw.normalize('NFC'));
      }),
      { numRuns: 1_000 },
    );
  });
});
