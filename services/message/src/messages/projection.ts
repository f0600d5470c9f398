import type { ReadModelChange } from '../read-model/port';
import type { RoomEvent } from '../room-command';

/** A sent message joins its room's history. */
export const messageChanges = (event: RoomEvent): ReadModelChange[] => {
  if (event.type !== 'MessageSent') return [];
  const { room_id, message_id, seq, sender_id, content, message_type, client_msg_id, created_at } =
    event.data;
  return [
    {
      kind: 'message_added',
      message: { room_id, message_id, seq, sender_id, content, message_type, client_msg_id, created_at },
    },
  ];
};
