import { describe, expect, it } from 'vitest';
import { canonicalEncoding, canonicalSha256 } from './canonical';

describe('canonical encoding', () => {
  it('sorts keys at every depth, drops absent fields and writes no whitespace', () => {
    expect(canonicalEncoding({ b: [1, { d: null, c: 'x' }], a: true, z: undefined }).toString('utf8')).toBe(
      '{"a":true,"b":[1,{"c":"x","d":null}]}',
    );
  });

  it('orders keys by code unit, not by locale', () => {
    expect(canonicalEncoding({ b: 1, a: 1, B: 1, é: 1, _: 1 }).toString('utf8')).toBe(
      '{"B":1,"_":1,"a":1,"b":1,"é":1}',
    );
  });

  it('is UTF-8: a character beyond ASCII is its UTF-8 bytes, not an escape', () => {
    expect([...canonicalEncoding({ a: 'é' })]).toEqual([...Buffer.from('{"a":"é"}', 'utf8')]);
    expect(canonicalEncoding({ a: 'é' })).toHaveLength(10);
  });

  it('is the same whatever order the fields were written in', () => {
    expect(canonicalSha256({ a: 1, b: { c: 'x', d: 'y' } })).toBe(
      canonicalSha256({ b: { d: 'y', c: 'x' }, a: 1 }),
    );
  });

  it('hashes as SHA-256 of those bytes, lowercase hex (as `printf %s ... | sha256sum` gives)', () => {
    expect(canonicalSha256({ b: [1, { c: null }], a: 'é' })).toBe(
      'e4b07c4cca546f3fcaf7f1baf600dbd4d4d4376734bf21f7928f517ead24cef5',
    );
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalEncoding({ a: Number.NaN })).toThrow(TypeError);
  });
});
