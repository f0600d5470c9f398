import { Topics, type EventOf, type EventRecord } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import { logRefusedContent, openMessageEvents, type ContentCipher } from '@chat/privacy';
import type { Logger } from '@chat/runtime';
import type { NotificationReadModel, NotificationUpdate } from '../read-model/port';
import type { Dispatcher } from './dispatcher';

/**
 * The consumer of `message.events`, a batch at a time: it records each new message's seq and
 * sender (for unread counts), then hands every message of the batch, in order, to the dispatcher.
 * A redelivered message is handed over again — a batch that failed half-way must not lose its
 * pushes — and requests nothing new: its deliveries' ids derive from message, user and target.
 */
export const messageEventsConsumer = (
  readModel: Pick<NotificationReadModel, 'applyBatch'>,
  dispatcher: Pick<Dispatcher, 'onMessagesSent'>,
  opening: { cipher: ContentCipher; logger: Logger },
): Projection => ({
  name: 'notification-message-events',
  topics: [Topics.messageEvents],
  applyBatch: async (records: EventRecord[]) => {
    const sealed = records.filter((record) => record.type === 'MessageSent');
    if (sealed.length === 0) return;
    // Opened for the pushes' previews: the only place this service shows content.
    const sent = await openMessageEvents(opening.cipher, sealed, logRefusedContent(opening.logger));
    await readModel.applyBatch(sent.map(messagePosted));
    await dispatcher.onMessagesSent(
      sent.filter(isConversation).map((record) => ({
        message: record.data as EventOf<'MessageSent'>['data'],
        correlationId: record.metadata.correlation_id,
      })),
    );
  },
});

/** An encrypted room's commits and proposals are its group's bookkeeping: nobody is told of them. */
const isConversation = (record: EventRecord): boolean =>
  ((record.data as EventOf<'MessageSent'>['data']).mls?.content_type ?? 'application') === 'application';

const messagePosted = (record: EventRecord): NotificationUpdate => {
  const { room_id, seq, sender_id } = record.data as EventOf<'MessageSent'>['data'];
  return {
    at: { stream: record.stream, revision: record.revision },
    changes: [{ kind: 'message_posted', room_id, seq, sender_id }],
  };
};
