import { describe, expect, it } from 'vitest';
import { cleanText, hasHiddenCharacters } from './text';

describe('cleanText', () => {
  it('drops controls and bidi overrides from a name', () => {
    expect(cleanText('evil\u0000\u0007<script>\u202Ename\u2066x\u2069\u0085')).toBe('evil<script>namex');
  });

  it('keeps line feeds and tabs in multi-line text, and the bidi marks right-to-left text needs', () => {
    expect(cleanText('a\nb\tc\r\u202Ed', { multiline: true })).toBe('a\nb\tcd');
    expect(cleanText('שלום\u200F!', { multiline: true })).toBe('שלום\u200F!');
    expect(cleanText('a\nb')).toBe('ab');
  });

  it('normalises to NFC', () => {
    expect(cleanText('e\u0301')).toBe('\u00e9');
  });
});

describe('hasHiddenCharacters', () => {
  it('finds what cleanText would drop', () => {
    expect(hasHiddenCharacters('photo\u202Egnp.exe')).toBe(true);
    expect(hasHiddenCharacters('line\nbreak.png')).toBe(true);
    expect(hasHiddenCharacters('café.png')).toBe(false);
  });
});
