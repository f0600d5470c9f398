import type { ReadModelChange } from '../read-model/port';
import type { RoomEvent } from '../room-command';

/** A reaction given or taken back, by message seq; a deleted message's go with it (`message_deleted`). */
export const reactionChanges = (event: RoomEvent): ReadModelChange[] => {
  switch (event.type) {
    case 'ReactionAdded': {
      const { room_id, seq, user_id, emoji, reacted_at } = event.data;
      return [{ kind: 'reaction_added', room_id, seq, user_id, emoji, reacted_at }];
    }
    case 'ReactionRemoved': {
      const { room_id, seq, user_id, emoji } = event.data;
      return [{ kind: 'reaction_removed', room_id, seq, user_id, emoji }];
    }
    default:
      return [];
  }
};
