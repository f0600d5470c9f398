import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileContentFilter, foldForMatching, refuseBlockedContent } from './content-filter';

/** Characters that change nothing a reader sees: zero-width, joiners, bidi controls, soft hyphen. */
const invisible = fc.constantFrom(
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u202E',
  '\u2066',
  '\u2069',
);
/** How a letter may be disguised: upper case, full width, or a look-alike from another script. */
const disguises: Record<string, string[]> = {
  a: ['A', 'ａ', 'а', 'α', 'á'],
  e: ['E', 'ｅ', 'е', 'é'],
  o: ['O', 'ｏ', 'о', 'ο', 'ö'],
  p: ['P', 'ｐ', 'р', 'ρ'],
  s: ['S', 'ｓ', 'ѕ'],
  c: ['C', 'ｃ', 'с'],
  m: ['M', 'ｍ', 'м'],
  t: ['T', 'ｔ', 'т'],
};
const word = fc.string({ unit: fc.constantFrom(...Object.keys(disguises)), minLength: 3, maxLength: 10 });

/** The word with each letter perhaps disguised and invisible characters perhaps put between letters. */
const disguised = (term: string) =>
  fc
    .tuple(
      ...Array.from(term).map((letter) =>
        fc.tuple(fc.constantFrom(letter, ...disguises[letter]!), fc.option(invisible, { nil: '' })),
      ),
    )
    .map((letters) => letters.map(([letter, hidden]) => letter + hidden).join(''));

describe('the content filter, for any text', () => {
  it('folds idempotently: a folded text folds to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const folded = foldForMatching(text);
        expect(foldForMatching(folded)).toBe(folded);
      }),
    );
  });

  it('blocks a blocked word however its letters are disguised, wherever it stands as a word', () => {
    fc.assert(
      fc.property(
        word.chain((term) => fc.tuple(fc.constant(term), disguised(term))),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        ([term, spelled], before, after) => {
          const filter = compileContentFilter(
            { blocked_terms: [term], block_links: false },
            { patterns: false },
          );
          const text = `${before} ${spelled} ${after}`;
          expect(refuseBlockedContent(text, filter)?.code).toBe('content_blocked');
        },
      ),
    );
  });

  it('never refuses anything when nothing is blocked', () => {
    const filter = compileContentFilter({ blocked_terms: [], block_links: false }, { patterns: true });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => refuseBlockedContent(text, filter) === null),
    );
  });
});
