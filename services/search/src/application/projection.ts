import { Topics, type EventRecord, type MessageServiceEvent, type UserErased } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import { logRefusedContent, openMessageEvents, type ContentCipher } from '@chat/privacy';
import type { Logger } from '@chat/runtime';
import { withoutMarkers } from '../domain/highlight';
import type { SearchChange, SearchIndex } from './search-index';

/** Content opened to nothing because its key was destroyed (see @chat/privacy). */
const isGone = (data: object): boolean => 'erased' in data || 'expired' in data;

/**
 * What one event of a room's stream changes in the index: its messages as they now read. The
 * index holds the content in clear (it must match words); content whose key was destroyed is
 * removed from it.
 */
export const searchChanges = (event: MessageServiceEvent): SearchChange[] => {
  if ((event.type === 'MessageSent' || event.type === 'MessageEdited') && isGone(event.data)) {
    return [{ kind: 'message_removed', message_id: event.data.message_id }];
  }
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
    case 'RoomHistoryExpired': {
      const { room_id, through_seq } = event.data;
      return [{ kind: 'room_history_expired', room_id, through_seq }];
    }
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
export const searchProjection = (index: SearchIndex, cipher: ContentCipher, logger: Logger): Projection => ({
  name: 'search-index',
  topics: [Topics.messageEvents],
  applyBatch: async (sealed: EventRecord[]) => {
    const records = await openMessageEvents(cipher, sealed, logRefusedContent(logger));
    await index.applyBatch(
      records.map((record) => ({
        at: { stream: record.stream, revision: record.revision },
        changes: searchChanges(eventOf(record)),
      })),
    );
  },
});

/**
 * Forgets each erased user, from the compacted `user.erasures`: it keeps every erasure, so a new
 * index (or one reset for a rebuild) learns them all again.
 */
export const erasureProjection = (index: SearchIndex, cipher: Pick<ContentCipher, 'forget'>): Projection => ({
  name: 'search-erasures',
  topics: [Topics.userErasures],
  applyBatch: async (records: EventRecord[]) => {
    // Their keys are destroyed: stop opening their content from this process's cache at once.
    for (const record of records) cipher.forget({ user_id: (record.data as UserErased).user_id });
    await index.applyBatch(
      records.map((record) => ({
        at: { stream: record.stream, revision: record.revision },
        changes: [{ kind: 'user_erased', user_id: (record.data as UserErased).user_id }],
      })),
    );
  },
});
