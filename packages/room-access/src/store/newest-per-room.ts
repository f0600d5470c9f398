import type { RoomAccess } from '@chat/contracts';

/**
 * The newest record of each room in a batch. A busy room is republished at every change, so a
 * batch often holds several states of it (each with all its members): only the newest is written.
 */
export const newestPerRoom = (records: readonly RoomAccess[]): RoomAccess[] => {
  const newest = new Map<string, RoomAccess>();
  for (const record of records) {
    const kept = newest.get(record.room_id);
    if (!kept || record.revision > kept.revision) newest.set(record.room_id, record);
  }
  return [...newest.values()];
};
