import { createHash } from 'node:crypto';

const NAMESPACE = Buffer.from('7d4f3c5e9b2a4e1f8c6d0a1b2c3d4e5f', 'hex');

/**
 * A deterministic UUID (version 5) for the n-th event a command produces: re-deciding the same
 * command yields the same ids, so the event store's idempotent append absorbs a replay.
 */
export const eventIdFor = (commandId: string, index: number): string => {
  const hash = createHash('sha1').update(NAMESPACE).update(`${commandId}#${index}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
