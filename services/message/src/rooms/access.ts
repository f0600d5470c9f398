import {
  refuseNonManager as refuseNonManagerOf,
  refuseNonMember as refuseNonMemberOf,
  refuseUnseen as refuseUnseenOf,
  type RoomFacts,
  type Viewer,
} from '@chat/room-access';
import type { Rejection } from '@chat/contracts';
import type { DecisionContext } from '../room-command';
import type { RoomState } from './room';

export { roomNotFound } from '@chat/room-access';

/**
 * Who may touch a room, for the room's decider: the one rule of `@chat/room-access` (which every
 * other service applies to the published `room.access` records), read off the room's own state.
 */
export const factsOf = (state: RoomState): RoomFacts | null =>
  state.status === 'absent'
    ? null
    : {
        deleted: state.status === 'deleted',
        private: state.private,
        ownerId: state.ownerId,
        roleOf: (userId) => state.members.get(userId)?.role ?? null,
      };

const viewerOf = (context: DecisionContext): Viewer => ({
  userId: context.actor_id,
  isAdmin: context.actor_is_admin,
});

/** The room exists and the actor may know it does. */
export const refuseUnseen = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseUnseenOf(factsOf(state), viewerOf(context));

/** The actor is a member of the room. */
export const refuseNonMember = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseNonMemberOf(factsOf(state), viewerOf(context));

/** The actor may manage the room: its owner or a platform administrator. */
export const refuseNonManager = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseNonManagerOf(factsOf(state), viewerOf(context));
