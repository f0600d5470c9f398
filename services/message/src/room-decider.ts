import type { Decider } from '@chat/event-sourcing';
import { decideOpenDirectRoom } from './direct/decide';
import { decideModeration } from './moderation/decide';
import { decideReportMessage, decideResolveReport } from './reports/decide';
import { decideSendMessage } from './messages/decide';
import { decideAcknowledgeWelcome, decideMlsSend, refuseInEncryptedRoom } from './mls/decide';
import { evolveMlsGroup } from './mls/group';
import { decideDeleteMessage } from './messages/delete';
import { decideEditMessage } from './messages/edit';
import { decideReactToMessage } from './reactions/react';
import { decideExpireHistory } from './retention/decide';
import { evolveReactions } from './reactions/reactions';
import type { RoomCommand, RoomEvent } from './room-command';
import { decideRoomManagement } from './rooms/decide';
import { evolve, initialRoomState, type RoomState } from './rooms/room';

/** The decider of a room stream: room management and messages share one stream and one state. */
export const roomDecider: Decider<RoomCommand, RoomEvent, RoomState> = {
  initialState: initialRoomState,
  decide: (command, state) => {
    switch (command.type) {
      case 'SendMessage':
        return state.encryption === 'mls' || command.data.message_type === 'mls'
          ? decideMlsSend(command, state)
          : decideSendMessage(command, state);
      case 'AcknowledgeMlsWelcome':
        return decideAcknowledgeWelcome(command, state);
      case 'EditMessage':
        return refuseInEncryptedRoom(state) ?? decideEditMessage(command, state);
      case 'DeleteMessage':
        return refuseInEncryptedRoom(state) ?? decideDeleteMessage(command, state);
      case 'OpenDirectRoom':
        return decideOpenDirectRoom(command, state);
      case 'ReactToMessage':
        return decideReactToMessage(command, state);
      case 'ChangeMemberRole':
      case 'BanMember':
      case 'UnbanMember':
      case 'MuteMember':
      case 'UnmuteMember':
        return decideModeration(command, state);
      case 'ReportMessage':
        return decideReportMessage(command, state);
      case 'ResolveReport':
        return decideResolveReport(command, state);
      case 'ExpireHistory':
        return decideExpireHistory(command, state);
      default:
        return decideRoomManagement(command, state);
    }
  },
  evolve: (state, event) => evolveMlsGroup(evolveReactions(evolve(state, event), event), event),
};
