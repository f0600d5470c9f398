import type { ReadModelChange } from '../read-model/port';
import type { RoomEvent } from '../room-command';

/**
 * A sent message joins its room's history; an edit rewrites it; a deletion leaves a tombstone; a
 * thread's root carries its thread summary.
 */
export const messageChanges = (event: RoomEvent): ReadModelChange[] => {
  switch (event.type) {
    case 'MessageSent': {
      const {
        room_id,
        message_id,
        seq,
        sender_id,
        content,
        message_type,
        client_msg_id,
        created_at,
        file,
        thread_id,
        mentions,
        mls,
      } = event.data;
      const message = {
        room_id,
        message_id,
        seq,
        sender_id,
        content,
        message_type,
        client_msg_id,
        created_at,
        ...(file ? { file } : {}),
        ...(thread_id ? { thread_id } : {}),
        ...(mentions ? { mentions } : {}),
        ...(mls ? { mls: mls.message } : {}),
      };
      return [{ kind: 'message_added', message }];
    }
    case 'MessageEdited': {
      const { room_id, seq, content, edited_at } = event.data;
      return [{ kind: 'message_edited', room_id, seq, content, edited_at }];
    }
    case 'MessageDeleted': {
      const { room_id, seq, deleted_at } = event.data;
      return [{ kind: 'message_deleted', room_id, seq, deleted_at }];
    }
    case 'ThreadUpdated': {
      const { room_id, seq, thread } = event.data;
      return [{ kind: 'thread_updated', room_id, seq, thread }];
    }
    default:
      return [];
  }
};
