/**
 * Destroys the data keys of a room's content older than a cutoff (crypto-shredding): whatever
 * still holds that content encrypted — the event store, the bus's logs, any backup — can no longer
 * be read. The key store of content encryption at rest provides it; keys are kept per room, user
 * and period, and a key goes only once its whole period lies before the cutoff, so no message
 * still within the room's retention loses its key. Repeating a call destroys nothing more.
 */
export interface RoomKeyShredder {
  /** Destroys the room's keys whose period ended before `cutoff` (ms since the epoch); returns how many. */
  destroyRoomKeysBefore(roomId: string, cutoff: number): Promise<number>;
}
