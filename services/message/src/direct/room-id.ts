import { nameBasedUuid, uuidBytes } from '@chat/event-sourcing';

/** The namespace of direct room ids. Fixed for good: another value would give every pair a second room. */
const DIRECT_NAMESPACE = uuidBytes('f9774f2e-8911-47a1-8d1c-0221cc5e0b3a');

/** A direct room's members: the pair, sorted, so whoever asks first makes no difference; one for notes to self. */
export const directMembersOf = (userId: string, otherId: string): string[] =>
  [...new Set([userId, otherId])].sort();

/**
 * The one room of a pair. A name-based UUID of the sorted members as a JSON array, which reads back
 * one way only: `('a:b', 'c')` and `('a', 'b:c')` are different inputs whatever characters user
 * ids hold, and the id fits the room id's pattern whatever they are. `dm-` keeps it apart from the
 * ids of group rooms (`room-…`, `general`).
 */
export const directRoomId = (userId: string, otherId: string): string =>
  `dm-${nameBasedUuid(DIRECT_NAMESPACE, JSON.stringify(directMembersOf(userId, otherId)))}`;
