import { describe, expect, it } from 'vitest';
import {
  combineContentFilters,
  compileContentFilter,
  foldForMatching,
  NO_FILTER,
  refuseBlockedContent,
} from './content-filter';

const deployment = compileContentFilter(
  { blocked_terms: ['spam', 'free money', '/cl[i1]ck\\s*here/', ' '], block_links: false },
  { patterns: true },
);
const code = (text: string, filter = deployment) => refuseBlockedContent(text, filter)?.code ?? 'allowed';

describe('foldForMatching', () => {
  it('folds case, accents, compatibility forms, look-alikes and invisible characters', () => {
    expect(foldForMatching('ＳＰＡＭ')).toBe('spam');
    expect(foldForMatching('Spám')).toBe('spam');
    expect(foldForMatching('ѕрам')).toBe('spam'); // Cyrillic
    expect(foldForMatching('s\u200Bp\u200Da\u202Em\u2066')).toBe('spam');
    expect(foldForMatching('𝐬𝐩𝐚𝐦')).toBe('spam');
  });
});

describe('refuseBlockedContent', () => {
  it('lets through text with no blocked term, and everything when nothing is blocked', () => {
    expect(code('a perfectly fine message')).toBe('allowed');
    expect(code('spam', NO_FILTER)).toBe('allowed');
  });

  it('refuses a blocked term however it is spelled', () => {
    for (const text of [
      'spam',
      'SPAM!',
      'this is ѕрам',
      's\u200Bpam',
      'ｓｐａｍ',
      'sp\u0301am',
      '$p4m',
      'free  money',
    ])
      expect([text, code(text)]).toEqual([text, 'content_blocked']);
  });

  it('matches terms as whole words, not inside longer ones', () => {
    expect(code('spammer')).toBe('allowed');
    expect(code('antispam')).toBe('allowed');
    expect(code('(spam)')).toBe('content_blocked');
  });

  it('matches deployment patterns on the folded text', () => {
    expect(code('please CL1CK   HERE')).toBe('content_blocked');
    expect(code('clickhere')).toBe('content_blocked');
    expect(code('click there')).toBe('allowed');
  });

  it('takes a room’s `/…/` entry as a plain term, never as an expression', () => {
    const room = compileContentFilter(
      { blocked_terms: ['/(a+)+$/'], block_links: false },
      { patterns: false },
    );
    expect(room.patterns).toEqual([]);
    expect(code('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', room)).toBe('allowed');
  });

  it('refuses links when they are blocked, disguised ones included', () => {
    const links = compileContentFilter({ blocked_terms: [], block_links: true }, { patterns: false });
    for (const text of [
      'see https://example.com',
      'ｈｔｔｐ://x.y',
      'go to www\u200B.example.org',
      'ftp://host',
    ])
      expect([text, code(text, links)]).toEqual([text, 'content_blocked']);
    expect(code('a sentence. with dots', links)).toBe('allowed');
    expect(code('https://example.com')).toBe('allowed');
  });

  it('applies both filters when a room adds its own', () => {
    const room = compileContentFilter(
      { blocked_terms: ['pineapple'], block_links: true },
      { patterns: false },
    );
    const both = combineContentFilters(deployment, room);
    expect(code('pineapple pizza', both)).toBe('content_blocked');
    expect(code('spam', both)).toBe('content_blocked');
    expect(code('www.example.com', both)).toBe('content_blocked');
    expect(code('pineapple pizza')).toBe('allowed');
  });
});
