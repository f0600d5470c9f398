import { setTimeout as sleep } from 'node:timers/promises';
import type { MediaReadModel } from '../read-model/port';
import type { RoomAccess } from './room-access';

/** How long an outsider's refusal waits for the membership view to show a join it may not have yet. */
const GRACE_MS = 1_500;
const POLL_MS = 25;

/**
 * The user in the room, from the media service's projection of the message service's events.
 * That view trails the message service by a few milliseconds, so a user added a moment ago would
 * be refused: an outsider is confirmed as one only after a short grace period.
 */
export const lookUpRoomAccess = async (
  readModel: MediaReadModel,
  roomId: string,
  userId: string,
): Promise<RoomAccess | null> => {
  const deadline = Date.now() + GRACE_MS;
  for (;;) {
    const access = await readModel.roomAccess(roomId, userId);
    if (access?.member || Date.now() >= deadline) return access;
    await sleep(POLL_MS);
  }
};
