import { reject, type MemberRole, type Rejection, type RoomAccess } from '@chat/contracts';

/**
 * Who may touch a room: the one rule every service applies, whether it decides on the message
 * service's own room state or on the `RoomAccess` record published from it. A private room's
 * existence is never revealed to an outsider: to them it is `room_not_found`, exactly like a room
 * that does not exist or was deleted. Platform administrators see every room, but are members
 * only of the rooms they joined.
 */

export interface Viewer {
  userId: string;
  isAdmin: boolean;
}

/** What the rule needs to know of a room, whatever holds it. */
export interface RoomFacts {
  deleted: boolean;
  private: boolean;
  ownerId: string;
  /** The user's role in the room, or null if they are not a member. */
  roleOf(userId: string): MemberRole | null;
}

export const roomNotFound = (): Rejection => reject('room_not_found', 'Room not found.');

const isMember = (room: RoomFacts, viewer: Viewer): boolean => room.roleOf(viewer.userId) !== null;

/**
 * The room exists and the viewer may know it does: a private room is, to an outsider, exactly
 * like a missing or deleted one (`room_not_found`); administrators see every room.
 * `room` is null for a room never created.
 */
export const refuseUnseen = (room: RoomFacts | null, viewer: Viewer): Rejection | null => {
  if (!room || room.deleted) return roomNotFound();
  if (room.private && !viewer.isAdmin && !isMember(room, viewer)) return roomNotFound();
  return null;
};

/** The viewer is a member (administrators are not members by being administrators: `not_member`). */
export const refuseNonMember = (room: RoomFacts | null, viewer: Viewer): Rejection | null => {
  if (!room) return roomNotFound();
  return (
    refuseUnseen(room, viewer) ??
    (isMember(room, viewer) ? null : reject('not_member', 'You are not a member of this room.'))
  );
};

/** The viewer may manage the room: its owner or a platform administrator (else `forbidden`). */
export const refuseNonManager = (room: RoomFacts | null, viewer: Viewer): Rejection | null => {
  if (!room) return roomNotFound();
  return (
    refuseUnseen(room, viewer) ??
    (room.ownerId === viewer.userId || viewer.isAdmin
      ? null
      : reject('forbidden', 'Only the room owner or an administrator may do this.'))
  );
};

/**
 * The facts of a published record. The member lookup is built on the first `roleOf`, once per
 * call: a rule asks for one user, and a room may have thousands of members.
 */
export const factsOf = (access: RoomAccess): RoomFacts => {
  let roles: Map<string, MemberRole> | undefined;
  return {
    deleted: access.deleted,
    private: access.private,
    ownerId: access.owner_id,
    roleOf: (userId) => {
      roles ??= new Map(access.members.map((member) => [member.user_id, member.role]));
      return roles.get(userId) ?? null;
    },
  };
};
