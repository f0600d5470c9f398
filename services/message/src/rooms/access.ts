import { reject, type Rejection } from '@chat/contracts';
import type { DecisionContext } from '../room-command';
import type { RoomState } from './room';

/**
 * Who may touch a room, shared by every decision. A private room's existence is never revealed
 * to an outsider: to them it is `room_not_found`, exactly like a room that does not exist.
 * Platform administrators see every room.
 */
export const roomNotFound = (): Rejection => reject('room_not_found', 'Room not found.');

const isOutsider = (state: RoomState, context: DecisionContext): boolean =>
  !state.members.has(context.actor_id) && !context.actor_is_admin;

/** The room exists and the actor may know it does. */
export const refuseUnseen = (state: RoomState, context: DecisionContext): Rejection | null =>
  state.status !== 'active' || (state.private && isOutsider(state, context)) ? roomNotFound() : null;

/** The actor is a member of the room. */
export const refuseNonMember = (state: RoomState, context: DecisionContext): Rejection | null => {
  const unseen = refuseUnseen(state, context);
  if (unseen) return unseen;
  return state.members.has(context.actor_id)
    ? null
    : reject('not_member', 'You are not a member of this room.');
};

/** The actor may manage the room: its owner or a platform administrator. */
export const refuseNonManager = (state: RoomState, context: DecisionContext): Rejection | null => {
  const unseen = refuseUnseen(state, context);
  if (unseen) return unseen;
  return state.ownerId === context.actor_id || context.actor_is_admin
    ? null
    : reject('forbidden', 'Only the room owner or an administrator may do this.');
};
