import { Topics, type EventRecord, type MessageServiceEvent } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import { withoutMarkers } from '../domain/highlight';
import type { SearchChange, SearchIndex } from './search-index';

/** What one event of a room's stream changes in the index: its messages as they now read. */
export const searchChanges = (event: MessageServiceEvent): SearchChange[] => {
  switch (event.type) {
    case 'MessageSent': {
      // An end-to-end encrypted room's messages are ciphertext: nothing of them is searchable.
      if (event.data.message_type === 'mls') return [];
      const { message_id, room_id, seq, sender_id, content, created_at, thread_id } = event.data;
      const message = {
        message_id,
        room_id,
        seq,
        sender_id,
        created_at,
        edited_at: null,
        thread_id: thread_id ?? null,
      };
      return [{ kind: 'message_indexed', message: { ...message, content: withoutMarkers(content) } }];
    }
    case 'MessageEdited': {
      const { message_id, content, edited_at } = event.data;
      return [{ kind: 'message_edited', message_id, content: withoutMarkers(content), edited_at }];
    }
    case 'MessageDeleted':
      return [{ kind: 'message_removed', message_id: event.data.message_id }];
    default:
      return [];
  }
};

const eventOf = (record: EventRecord): MessageServiceEvent =>
  ({ type: record.type, data: record.data }) as MessageServiceEvent;

/**
 * Keeps the index in step with the room streams on `message.events`, a batch of events at a time
 * (the live consumer and the rebuild alike). Every event is recorded with its revision, even one
 * that changes nothing, so the index knows how far each stream was applied.
 */
export const searchProjection = (index: SearchIndex): Projection => ({
  name: 'search-index',
  topics: [Topics.messageEvents],
  applyBatch: async (records: EventRecord[]) => {
    await index.applyBatch(
      records.map((record) => ({
        at: { stream: record.stream, revision: record.revision },
        changes: searchChanges(eventOf(record)),
      })),
    );
  },
});
