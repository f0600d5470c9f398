import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSealed, openWith, parseSealed, sealWith } from './envelope';

const key = randomBytes(32);
const open = (k: Buffer, sealed: string, aad: string) => {
  const parts = parseSealed(sealed);
  return parts ? (openWith(k, parts, aad)?.toString('utf8') ?? null) : null;
};

/** `sealed` with one byte of its iv or body (`part`) flipped at `index`. */
const flipped = (sealed: string, part: 'iv' | 'body', index: number, mask: number): string => {
  const [, , keyId, iv, body] = sealed.split(':') as [string, string, string, string, string];
  const bytes = Buffer.from(part === 'iv' ? iv : body, 'base64url');
  bytes[index % bytes.length]! ^= mask;
  const changed = bytes.toString('base64url');
  return `sealed:v1:${keyId}:${part === 'iv' ? changed : iv}:${part === 'body' ? changed : body}`;
};

describe('envelope', () => {
  it('opens what it sealed, with the same key and associated data', () => {
    const sealed = sealWith(key, 'k1', 'hello wörld 👋', 'room-1\u0000msg-1');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('hello');
    expect(open(key, sealed, 'room-1\u0000msg-1')).toBe('hello wörld 👋');
  });

  it('seals the same text differently each time (random IV)', () => {
    expect(sealWith(key, 'k1', 'same', 'a')).not.toBe(sealWith(key, 'k1', 'same', 'a'));
  });

  it('refuses other associated data, another key, another key id', () => {
    const sealed = sealWith(key, 'k1', 'secret', 'room-1\u0000msg-1');
    expect(open(key, sealed, 'room-1\u0000msg-2')).toBeNull();
    expect(open(randomBytes(32), sealed, 'room-1\u0000msg-1')).toBeNull();
    expect(open(key, sealed.replace('sealed:v1:k1:', 'sealed:v1:k2:'), 'room-1\u0000msg-1')).toBeNull();
  });

  it('refuses a flipped byte anywhere in the iv, the ciphertext or the tag', () => {
    const sealed = sealWith(key, 'k1', 'secret', 'aad');
    for (let i = 0; i < 12; i++) expect(open(key, flipped(sealed, 'iv', i, 1), 'aad')).toBeNull();
    for (let i = 0; i < 6 + 16; i++) expect(open(key, flipped(sealed, 'body', i, 0x80), 'aad')).toBeNull();
  });

  it('does not take plain or malformed text for a sealed value', () => {
    expect(isSealed('hello')).toBe(false);
    expect(parseSealed('hello')).toBeNull();
    expect(parseSealed('sealed:v1:k1:short:body')).toBeNull();
    expect(parseSealed('sealed:v1:k1:a:b:c')).toBeNull();
    expect(parseSealed(`sealed:v1::${'A'.repeat(16)}:${'A'.repeat(22)}`)).toBeNull();
  });

  it('round trip: any text, any associated data', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (text, aad) => {
        expect(open(key, sealWith(key, 'k1', text, aad), aad)).toBe(text);
      }),
    );
  });

  it('tamper: any changed byte of iv, ciphertext or tag is refused', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.constantFrom('iv' as const, 'body' as const),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (text, part, index, mask) => {
          const sealed = sealWith(key, 'k1', text, 'aad');
          expect(open(key, flipped(sealed, part, index, mask), 'aad')).toBeNull();
        },
      ),
    );
  });
});
