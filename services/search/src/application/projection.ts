import { Topics, type EventRecord, type MessageServiceEvent } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import { withoutMarkers } from '../domain/highlight';
import type { SearchChange, SearchIndex } from './search-index';

/**
 * What one event of a room's stream changes in the index: messages as they now read, and the
 * memberships that decide who finds them.
 */
export const searchChanges = (event: MessageServiceEvent): SearchChange[] => {
  switch (event.type) {
    case 'RoomCreated':
    case 'RoomUpdated':
      return [{ kind: 'room_saved', room_id: event.data.room_id, private: event.data.private }];
    case 'RoomDeleted':
      return [{ kind: 'room_deleted', room_id: event.data.room_id }];
    case 'MemberJoined':
      return [{ kind: 'member_added', room_id: event.data.room_id, user_id: event.data.user_id }];
    case 'MemberLeft':
      return [{ kind: 'member_removed', room_id: event.data.room_id, user_id: event.data.user_id }];
    case 'MessageSent': {
      const { message_id, room_id, seq, sender_id, content, created_at } = event.data;
      const message = { message_id, room_id, seq, sender_id, created_at, edited_at: null };
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

export const eventOf = (record: Pick<EventRecord, 'type' | 'data'>): MessageServiceEvent =>
  ({ type: record.type, data: record.data }) as MessageServiceEvent;

/**
 * Keeps the index in step with the room streams on `message.events`. Every event is recorded with
 * its revision, even one that changes nothing, so the index knows how far each stream was applied.
 */
export const searchProjection = (index: SearchIndex): Projection => ({
  name: 'search-index',
  topics: [Topics.messageEvents],
  applyBatch: async (records: EventRecord[]) => {
    for (const record of records) {
      await (async () => {
        await index.apply(
          { stream: record.stream, revision: record.revision },
          searchChanges(eventOf(record)),
        );
      })();
    }
  },
});
