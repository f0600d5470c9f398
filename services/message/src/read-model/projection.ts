import { Topics, type EventRecord } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import { messageChanges } from '../messages/projection';
import { welcomeChanges } from '../mls/projection';
import { reactionChanges } from '../reactions/projection';
import type { RoomEvent } from '../room-command';
import { roomChanges } from '../rooms/projection';
import type { MessageReadModel } from './port';

/**
 * Keeps the read model in step with the room streams, a batch of events at a time. Every event is
 * recorded with its revision, even one that changes nothing, so the read model knows how far each
 * stream has been applied.
 */
export const readModelProjection = (readModel: MessageReadModel): Projection => ({
  name: 'message-read-model',
  topics: [Topics.messageEvents],
  applyBatch: async (records: EventRecord[]) => {
    await readModel.applyBatch(
      records.map((record) => {
        const event = { type: record.type, data: record.data } as RoomEvent;
        return {
          at: { stream: record.stream, revision: record.revision },
          changes: [
            ...roomChanges(event),
            ...messageChanges(event),
            ...reactionChanges(event),
            ...welcomeChanges(event),
          ],
        };
      }),
    );
  },
});
