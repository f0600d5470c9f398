import type { RoomEvent } from '../room-command';
import type { RoomState } from '../rooms/room';
import { PersistentMap } from '../shared/persistent-map';

/**
 * What the server knows of an encrypted room's MLS group: the epoch its next handshake must be
 * sent in (the count of commits accepted so far; a group starts at epoch 0), and the Welcomes not
 * yet acknowledged, by the seq of the commit that added their recipients.
 */
export interface MlsGroupFacts {
  epoch: number;
  welcomes: PersistentMap<number, readonly string[]>;
}

export const NO_MLS_GROUP: MlsGroupFacts = { epoch: 0, welcomes: PersistentMap.empty() };

export const evolveMlsGroup = (state: RoomState, event: RoomEvent): RoomState => {
  switch (event.type) {
    case 'RoomCreated':
      return { ...state, encryption: event.data.encryption ?? 'none' };
    case 'MessageSent': {
      const framing = event.data.mls;
      if (framing?.content_type !== 'commit') return state;
      return { ...state, mls: { ...state.mls, epoch: framing.epoch + 1 } };
    }
    case 'MlsWelcomeSent': {
      const { seq, recipients } = event.data;
      return { ...state, mls: { ...state.mls, welcomes: state.mls.welcomes.set(seq, recipients) } };
    }
    case 'MlsWelcomeAcknowledged': {
      const { seq, user_id } = event.data;
      const pending = (state.mls.welcomes.get(seq) ?? []).filter((userId) => userId !== user_id);
      const welcomes =
        pending.length === 0 ? state.mls.welcomes.delete(seq) : state.mls.welcomes.set(seq, pending);
      return { ...state, mls: { ...state.mls, welcomes } };
    }
    default:
      return state;
  }
};
