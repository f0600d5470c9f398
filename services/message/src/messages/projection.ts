import type { ReadModelChange } from '../read-model/port';
import type { RoomEvent } from '../room-command';

/** A sent message joins its room's history; an edit rewrites it; a deletion leaves a tombstone. */
export const messageChanges = (event: RoomEvent): ReadModelChange[] => {
  switch (event.type) {
    case 'MessageSent': {
      const { room_id, message_id, seq, sender_id, content, message_type, client_msg_id, created_at, file } =
        event.data;
      const { mentions } = event.data;
      const message = {
        room_id,
        message_id,
        seq,
        sender_id,
        content,
        message_type,
        client_msg_id,
        created_at,
      };
      return [
        {
          kind: 'message_added',
          message: { ...message, ...(file ? { file } : {}), ...(mentions ? { mentions } : {}) },
        },
      ];
    }
    case 'MessageEdited': {
      const { room_id, seq, content, edited_at } = event.data;
      return [{ kind: 'message_edited', room_id, seq, content, edited_at }];
    }
    case 'MessageDeleted': {
      const { room_id, seq, deleted_at } = event.data;
      return [{ kind: 'message_deleted', room_id, seq, deleted_at }];
    }
    default:
      return [];
  }
};
