import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 5): SHA-1 over the namespace's bytes and the name, so the
 * same name always gives the same id and no other name does, short of a SHA-1 second preimage.
 */
export const nameBasedUuid = (namespace: Buffer, name: string): string => {
  const hash = createHash('sha1').update(namespace).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A UUID's 16 bytes, as a namespace. */
export const uuidBytes = (uuid: string): Buffer => Buffer.from(uuid.replaceAll('-', ''), 'hex');
