import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The envelope of every value sealed at rest: AES-256-GCM with a random 96-bit IV and a 128-bit
 * tag, in one string that says which key sealed it:
 * `sealed:v1:<key_id>:<iv, base64url>:<ciphertext and tag, base64url>`.
 * The associated data authenticated with it is the version, the key id and the caller's AAD (the
 * place the value belongs to: a stream and an event id), so a sealed value copied to another
 * place, or given another key id, is refused.
 */
const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** Whether `value` is a sealed envelope (values written before encryption are not). */
export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

export interface SealedParts {
  keyId: string;
  iv: Buffer;
  /** The ciphertext followed by the 16-byte tag. */
  body: Buffer;
}

/** The parts of a sealed value, or null when it is not one in a form this version reads. */
export const parseSealed = (value: string): SealedParts | null => {
  if (!isSealed(value)) return null;
  const parts = value.slice(PREFIX.length).split(':');
  if (parts.length !== 3) return null;
  const [keyId, iv, body] = parts as [string, string, string];
  const ivBytes = Buffer.from(iv, 'base64url');
  const bodyBytes = Buffer.from(body, 'base64url');
  if (keyId === '' || ivBytes.length !== IV_BYTES || bodyBytes.length < TAG_BYTES) return null;
  return { keyId, iv: ivBytes, body: bodyBytes };
};

const associatedData = (keyId: string, aad: string): Buffer => Buffer.from(`v1\u0000${keyId}\u0000${aad}`);

/** Seals `plaintext` under `key` (32 bytes) named `keyId` (no `:`), bound to `aad`. */
export const sealWith = (key: Buffer, keyId: string, plaintext: Buffer | string, aad: string): string => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(keyId, aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${keyId}:${iv.toString('base64url')}:${body.toString('base64url')}`;
};

/**
 * The plaintext of sealed `parts` opened with `key` and `aad`, or null when it does not
 * authenticate: tampered, sealed under another key, or bound to other associated data.
 */
export const openWith = (key: Buffer, parts: SealedParts, aad: string): Buffer | null => {
  const { keyId, iv, body } = parts;
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(keyId, aad));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
};
