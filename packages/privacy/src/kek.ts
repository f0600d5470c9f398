import { createHmac, randomBytes } from 'node:crypto';
import { KEY_BYTES, openWith, parseSealed, sealWith } from './envelope';

/** The key-encryption key from `ENCRYPTION_KEY`, and its fingerprint (never the key itself). */
export interface Kek {
  readonly id: string;
  readonly key: Buffer;
}

export type KekParse =
  { ok: true; kek: Kek } | { ok: false; code: 'invalid_encryption_key'; message: string };

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * The KEK's fingerprint: an HMAC of a fixed label under the key, so the key store can tell which
 * key wrapped its data keys without holding anything that helps to find that key.
 */
const fingerprint = (key: Buffer): string =>
  `kek-${createHmac('sha256', key).update('chat-platform key-encryption key id v1').digest('hex').slice(0, 16)}`;

export const kekOf = (key: Buffer): Kek => ({ id: fingerprint(key), key });

/**
 * Reads an `ENCRYPTION_KEY`: exactly 32 bytes, written as 64 hex digits or as base64 (standard or
 * URL alphabet, padding optional). Anything else is refused, saying what is expected and never
 * repeating the value.
 */
export const parseEncryptionKey = (raw: string, name = 'ENCRYPTION_KEY'): KekParse => {
  const value = raw.trim();
  const key = HEX.test(value)
    ? Buffer.from(value, 'hex')
    : BASE64.test(value)
      ? Buffer.from(value.replace(/=$/, ''), 'base64url')
      : null;
  if (key?.length === KEY_BYTES) return { ok: true, kek: kekOf(key) };
  return {
    ok: false,
    code: 'invalid_encryption_key',
    message:
      `${name} must be 32 random bytes written as 64 hex digits or as base64 (44 characters), ` +
      `e.g. the output of \`openssl rand -base64 32\`; the value given (${value.length} characters) is neither.`,
  };
};

/** A new random KEK, written as base64, for the embedded run's generated key file. */
export const generateEncryptionKey = (): string => randomBytes(KEY_BYTES).toString('base64');

/** A new random data key. */
export const newDataKey = (): Buffer => randomBytes(KEY_BYTES);

/** A data key sealed under the KEK, bound to its key id. */
export const wrapKey = (kek: Kek, keyId: string, dataKey: Buffer): string =>
  sealWith(kek.key, kek.id, dataKey, keyId);

/** The data key wrapped as `wrapped` for `keyId`, or null if this KEK did not wrap it so. */
export const unwrapKey = (kek: Kek, keyId: string, wrapped: string): Buffer | null => {
  const parts = parseSealed(wrapped);
  if (!parts || parts.keyId !== kek.id) return null;
  const key = openWith(kek.key, parts, keyId);
  return key?.length === KEY_BYTES ? key : null;
};
