import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kekOf, newDataKey, parseEncryptionKey, unwrapKey, wrapKey } from './kek';
import { keyIdOf, periodOf } from './key-id';

describe('ENCRYPTION_KEY', () => {
  const bytes = randomBytes(32);

  it('accepts 32 bytes as hex, base64 or base64url, padded or not, all the same key', () => {
    const forms = [
      bytes.toString('hex'),
      bytes.toString('base64'),
      bytes.toString('base64url'),
      ` ${bytes.toString('base64').replace(/=$/, '')}\n`,
    ];
    const ids = forms.map((form) => {
      const parsed = parseEncryptionKey(form);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.kek.key.equals(bytes)).toBe(true);
      return parsed.kek.id;
    });
    expect(new Set(ids).size).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['a passphrase', 'correct horse battery staple'],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes of hex', randomBytes(33).toString('hex')],
    ['64 bytes of base64', randomBytes(64).toString('base64')],
  ])('refuses %s, saying what is expected and not echoing the value', (_, value) => {
    const parsed = parseEncryptionKey(value);
    expect(parsed).toMatchObject({ ok: false, code: 'invalid_encryption_key' });
    if (parsed.ok) return;
    expect(parsed.message).toMatch(/32 random bytes .* hex .* base64/);
    if (value !== '') expect(parsed.message).not.toContain(value);
  });

  it('names a KEK by a fingerprint that is not the key', () => {
    const kek = kekOf(bytes);
    expect(kek.id).toMatch(/^kek-[0-9a-f]{16}$/);
    expect(kek.id).not.toContain(bytes.toString('hex').slice(0, 16));
    expect(kekOf(randomBytes(32)).id).not.toBe(kek.id);
  });
});

describe('wrapped data keys', () => {
  const kek = kekOf(randomBytes(32));
  const dataKey = newDataKey();

  it('unwrap with the same KEK and key id', () => {
    expect(unwrapKey(kek, 'k1', wrapKey(kek, 'k1', dataKey))?.equals(dataKey)).toBe(true);
  });

  it('are refused under another KEK or for another key id', () => {
    const wrapped = wrapKey(kek, 'k1', dataKey);
    expect(unwrapKey(kekOf(randomBytes(32)), 'k1', wrapped)).toBeNull();
    expect(unwrapKey(kek, 'k2', wrapped)).toBeNull();
  });
});

describe('key ids', () => {
  it('are the same for the same scope, user and period, and differ otherwise', () => {
    const ref = { scope: 'room-1', user_id: 'ann', period: 20_000 };
    expect(keyIdOf(ref)).toBe(keyIdOf({ ...ref }));
    expect(keyIdOf(ref)).toMatch(/^k[A-Za-z0-9_-]{22}$/);
    const others = [
      { ...ref, scope: 'room-2' },
      { ...ref, user_id: 'bob' },
      { ...ref, period: 20_001 },
    ];
    for (const other of others) expect(keyIdOf(other)).not.toBe(keyIdOf(ref));
    // A separator in a name cannot make two refs meet.
    expect(keyIdOf({ scope: 'a\u0000b', user_id: 'c', period: 1 })).not.toBe(
      keyIdOf({ scope: 'a', user_id: 'b\u0000c', period: 1 }),
    );
  });

  it('name the period of a moment', () => {
    const day = 86_400_000;
    expect(periodOf('1970-01-02T00:00:00.000Z', day)).toBe(1);
    expect(periodOf(day - 1, day)).toBe(0);
    expect(() => periodOf('not a date', day)).toThrow(/Not a time/);
  });
});
