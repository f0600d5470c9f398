import { reject, type Rejection } from '../errors';

/**
 * The content filter: blocked terms, blocked patterns and links, matched on a folded form of the
 * text so that look-alike spellings do not slip past it. One pure function, applied by the
 * message service to messages, edits, room names and shared file names, and by the media service
 * to upload file names.
 */

/** What a deployment (`moderation.*`) or a room's settings block. */
export interface ContentFilterSettings {
  /**
   * Words or phrases matched whole, after folding; `/…/` entries are regular expressions
   * (deployment only). A string is a comma-separated list (the form an environment variable gives).
   */
  blocked_terms: readonly string[] | string;
  /** Refuse text holding a link (`scheme://…` or `www.…`). */
  block_links: boolean;
}

/** A filter ready to match: terms folded once, patterns compiled once. */
export interface ContentFilter {
  terms: readonly string[];
  patterns: readonly RegExp[];
  blockLinks: boolean;
}

export const NO_FILTER: ContentFilter = { terms: [], patterns: [], blockLinks: false };

/**
 * Latin look-alikes from other scripts (Cyrillic, Greek) and letters with strokes NFKC keeps,
 * folded to the Latin letters they pass for. NFKC already folds full-width, mathematical and other
 * compatibility forms; this covers what it leaves.
 */
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  ı: 'i',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ŧ: 't',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
};

/** Digits and signs written for letters (`h3ll0`, `$pam`): a second reading of the text. */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/**
 * Format characters (zero-width spaces and joiners, bidi controls, soft hyphens: Unicode category
 * Cf), variation selectors and combining marks: invisible or decorative, dropped before matching.
 */
const INVISIBLE = /[\p{Cf}\p{M}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/gu;

const mapChars = (text: string, map: Record<string, string>): string => {
  let mapped = '';
  for (const char of text) mapped += map[char] ?? char;
  return mapped;
};

const foldOnce = (text: string): string =>
  mapChars(text.normalize('NFKC').toLowerCase().normalize('NFKD').replace(INVISIBLE, ''), CONFUSABLES)
    .normalize('NFC')
    .replace(/\s+/gu, ' ');

/**
 * The form text is matched in: compatibility-normalised (NFKC), lower-cased, accents and invisible
 * characters removed, look-alikes folded to Latin letters, every run of white space one space. Idempotent: folding a folded text
 * changes nothing (a fold is repeated until it does, which takes two rounds at most in practice).
 */
export const foldForMatching = (text: string): string => {
  let current = text;
  for (let round = 0; round < 4; round++) {
    const next = foldOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
};

/** A letter or digit: a term matches only where it is not part of a longer word. */
const WORD = /[\p{L}\p{N}]/u;

const occursAsWord = (text: string, term: string): boolean => {
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) {
    const before = text[at - 1];
    const after = text[at + term.length];
    if ((before === undefined || !WORD.test(before)) && (after === undefined || !WORD.test(after))) {
      return true;
    }
  }
  return false;
};

/** `scheme://` or `www.`: in the folded text, so `ｈｔｔｐｓ://` and `www\u200B.` are links too. */
const LINK = /\b[a-z][a-z0-9+.-]*:\/\/\S|\bwww\.\S/u;

const PATTERN = /^\/(.+)\/$/su;

/**
 * Compiles filter settings. A `/…/` entry is a regular expression (case-insensitive, on the folded
 * text) only where `patterns` allows it — deployment settings, never a room's, so that no room
 * owner can make the service run an expensive expression. Blank entries are ignored.
 */
export const compileContentFilter = (
  settings: ContentFilterSettings,
  { patterns: allowPatterns }: { patterns: boolean },
): ContentFilter => {
  const terms: string[] = [];
  const patterns: RegExp[] = [];
  const entries =
    typeof settings.blocked_terms === 'string' ? settings.blocked_terms.split(',') : settings.blocked_terms;
  for (const entry of entries) {
    const pattern = PATTERN.exec(entry.trim());
    if (pattern && allowPatterns) patterns.push(new RegExp(pattern[1]!, 'iu'));
    else {
      const term = foldForMatching(entry).trim();
      if (term !== '') terms.push(term);
    }
  }
  return { terms, patterns, blockLinks: settings.block_links };
};

/** Both filters at once: what a room adds to the deployment's. */
export const combineContentFilters = (a: ContentFilter, b: ContentFilter): ContentFilter => ({
  terms: [...a.terms, ...b.terms],
  patterns: [...a.patterns, ...b.patterns],
  blockLinks: a.blockLinks || b.blockLinks,
});

/** Why the text is refused (`content_blocked`), or null if the filter lets it through. */
export const refuseBlockedContent = (
  text: string,
  filter: ContentFilter,
  what = 'The text',
): Rejection | null => {
  if (filter.terms.length === 0 && filter.patterns.length === 0 && !filter.blockLinks) return null;
  const folded = foldForMatching(text);
  const readings = [folded, mapChars(folded, LEET)];
  const blocked =
    readings.some((reading) => filter.terms.some((term) => occursAsWord(reading, term))) ||
    readings.some((reading) => filter.patterns.some((pattern) => pattern.test(reading))) ||
    (filter.blockLinks && LINK.test(folded));
  return blocked
    ? reject('content_blocked', `${what} holds content this platform or room does not allow.`)
    : null;
};
