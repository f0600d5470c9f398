import type { Decider } from '@chat/event-sourcing';
import { decideSendMessage } from './messages/decide';
import type { RoomCommand, RoomEvent } from './room-command';
import { decideRoomManagement } from './rooms/decide';
import { evolve, initialRoomState, type RoomState } from './rooms/room';

/** The decider of a room stream: room management and messages share one stream and one state. */
export const roomDecider: Decider<RoomCommand, RoomEvent, RoomState> = {
  initialState: initialRoomState,
  decide: (command, state) =>
    command.type === 'SendMessage' ? decideSendMessage(command, state) : decideRoomManagement(command, state),
  evolve,
};
