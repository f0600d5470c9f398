import type { ReadModelChange } from '../read-model/port';
import type { RoomEvent } from '../room-command';

/** A commit's Welcome is kept for each recipient until they acknowledge it. */
export const welcomeChanges = (event: RoomEvent): ReadModelChange[] => {
  switch (event.type) {
    case 'MlsWelcomeSent': {
      const { room_id, seq, recipients, welcome } = event.data;
      return [{ kind: 'welcome_kept', room_id, seq, recipients, welcome }];
    }
    case 'MlsWelcomeAcknowledged': {
      const { room_id, seq, user_id } = event.data;
      return [{ kind: 'welcome_acknowledged', room_id, seq, user_id }];
    }
    default:
      return [];
  }
};
