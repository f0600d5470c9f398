import {
  refuseNonManager as refuseNonManagerOf,
  refuseNonMember as refuseNonMemberOf,
  refuseNonModerator as refuseNonModeratorOf,
  refuseNonSpeaker as refuseNonSpeakerOf,
  refuseMuted as refuseMutedOf,
  refuseUnseen as refuseUnseenOf,
  restrictionHolds,
  type RoomFacts,
  type Viewer,
} from '@chat/room-access';
import type { Rejection } from '@chat/contracts';
import type { DecisionContext } from '../room-command';
import type { Restriction, RoomState } from './room';

export { roomNotFound } from '@chat/room-access';

const holds = (restriction: Restriction | undefined, now: Date): boolean =>
  restriction !== undefined && restrictionHolds(restriction.until, now);

/**
 * Who may touch a room, for the room's decider: the one rule of `@chat/room-access` (which every
 * other service applies to the published `room.access` records), read off the room's own state
 * at the time the command is decided (bans and mutes end by themselves).
 */
export const factsOf = (state: RoomState, at: string): RoomFacts | null => {
  if (state.status === 'absent') return null;
  const now = new Date(at);
  return {
    deleted: state.status === 'deleted',
    private: state.private,
    ownerId: state.ownerId,
    roleOf: (userId) => state.members.get(userId)?.role ?? null,
    isBanned: (userId) => holds(state.bans.get(userId), now),
    isMuted: (userId) => holds(state.mutes.get(userId), now),
  };
};

const factsAt = (state: RoomState, context: DecisionContext) => factsOf(state, context.decided_at);

const viewerOf = (context: DecisionContext): Viewer => ({
  userId: context.actor_id,
  isAdmin: context.actor_is_admin,
});

/** The room exists and the actor may know it does. */
export const refuseUnseen = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseUnseenOf(factsAt(state, context), viewerOf(context));

/** The actor is a member of the room. */
export const refuseNonMember = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseNonMemberOf(factsAt(state, context), viewerOf(context));

/** The actor may manage the room: its owner or a platform administrator. */
export const refuseNonManager = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseNonManagerOf(factsAt(state, context), viewerOf(context));

/** The actor moderates the room: its owner, one of its moderators, or a platform administrator. */
export const refuseNonModerator = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseNonModeratorOf(factsAt(state, context), viewerOf(context));

/** The actor may post, react and type in the room: a member, not muted. */
export const refuseNonSpeaker = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseNonSpeakerOf(factsAt(state, context), viewerOf(context));

/** The actor is not muted in the room (a mute outlasts leaving, so rejoining does not lift it). */
export const refuseMuted = (state: RoomState, context: DecisionContext): Rejection | null =>
  refuseMutedOf(factsAt(state, context), viewerOf(context));
