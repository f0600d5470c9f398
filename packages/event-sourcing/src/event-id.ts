import { nameBasedUuid } from './name-based-uuid';

const NAMESPACE = Buffer.from('7d4f3c5e9b2a4e1f8c6d0a1b2c3d4e5f', 'hex');

/**
 * A deterministic UUID (version 5) for the n-th event a command produces: re-deciding the same
 * command yields the same ids, so the event store's idempotent append absorbs a replay.
 */
export const eventIdFor = (commandId: string, index: number): string =>
  nameBasedUuid(NAMESPACE, `${commandId}#${index}`);
