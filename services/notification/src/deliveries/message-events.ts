import { Topics, type EventRecord, type MessageServiceEvent } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import type { NotificationReadModel } from '../read-model/port';
import { roomChanges } from '../read-model/projections';
import type { Dispatcher } from './dispatcher';

/**
 * One consumer of `message.events` does both, in the room's order: it updates this service's view
 * of rooms, members and seqs, then, for a new message, requests its pushes. So the members asked
 * for a push are those of the moment the message was sent. A redelivered message requests the
 * same deliveries (ids derived from message and target), which decide nothing new.
 */
export const messageEventsConsumer = (
  readModel: NotificationReadModel,
  dispatcher: Dispatcher,
): Projection => ({
  name: 'notification-message-events',
  topics: [Topics.messageEvents],
  applyBatch: async (records: EventRecord[]) => {
    for (const record of records) {
      await (async () => {
        const event = { type: record.type, data: record.data } as MessageServiceEvent;
        const changes = roomChanges(event);
        if (changes.length === 0) return;
        await readModel.apply({ stream: record.stream, revision: record.revision }, changes);
        if (event.type === 'MessageSent')
          await dispatcher.onMessageSent(event.data, record.metadata.correlation_id);
      })();
    }
  },
});
