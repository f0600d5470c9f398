import {
  reject,
  type MemberRole,
  type Rejection,
  type RoomAccess,
  type RoomRestriction,
} from '@chat/contracts';

/**
 * Who may touch a room: the one rule every service applies, whether it decides on the message
 * service's own room state or on the `RoomAccess` record published from it. A private room's
 * existence is never revealed to an outsider: to them it is `room_not_found`, exactly like a room
 * that does not exist or was deleted. Platform administrators see every room, but are members
 * only of the rooms they joined. A user banned from a room is refused it (`banned`) until the ban
 * ends, public rooms included; administrators are never banned (they moderate the platform).
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
  /** The user is banned from the room at the time the facts were read. */
  isBanned(userId: string): boolean;
  /** The user is muted in the room at the time the facts were read. */
  isMuted(userId: string): boolean;
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
  if (!viewer.isAdmin && room.isBanned(viewer.userId)) {
    return reject('banned', 'You are banned from this room.');
  }
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

const MODERATING_ROLES: ReadonlySet<MemberRole | null> = new Set(['owner', 'moderator']);

/** The viewer moderates the room: its owner, one of its moderators, or an administrator (else `forbidden`). */
export const refuseNonModerator = (room: RoomFacts | null, viewer: Viewer): Rejection | null => {
  if (!room) return roomNotFound();
  return (
    refuseUnseen(room, viewer) ??
    (viewer.isAdmin || room.ownerId === viewer.userId || MODERATING_ROLES.has(room.roleOf(viewer.userId))
      ? null
      : reject('forbidden', 'Only a moderator of the room or an administrator may do this.'))
  );
};

/** The viewer is not muted in the room (else `muted`); whether they may see it is another rule's. */
export const refuseMuted = (room: RoomFacts | null, viewer: Viewer): Rejection | null =>
  room?.isMuted(viewer.userId) ? reject('muted', 'You are muted in this room.') : null;

/** The viewer may post, react and type in the room: a member who is not muted (else `muted`). */
export const refuseNonSpeaker = (room: RoomFacts | null, viewer: Viewer): Rejection | null =>
  refuseNonMember(room, viewer) ?? refuseMuted(room, viewer);

/** Whether a ban or mute ending at `until` (null: never) still holds at `now`. */
export const restrictionHolds = (until: string | null, now: Date): boolean =>
  until === null || Date.parse(until) > now.getTime();

const holdsFor = (restrictions: RoomRestriction[] | undefined, userId: string, now: Date): boolean =>
  restrictions?.some((each) => each.user_id === userId && restrictionHolds(each.until, now)) ?? false;

/**
 * The facts of a published record. The member lookup is built on the first `roleOf`, once per
 * call: a rule asks for one user, and a room may have thousands of members.
 */
export const factsOf = (access: RoomAccess, now: Date = new Date()): RoomFacts => {
  let roles: Map<string, MemberRole> | undefined;
  return {
    deleted: access.deleted,
    private: access.private,
    ownerId: access.owner_id,
    roleOf: (userId) => {
      roles ??= new Map(access.members.map((member) => [member.user_id, member.role]));
      return roles.get(userId) ?? null;
    },
    isBanned: (userId) => holdsFor(access.bans, userId, now),
    isMuted: (userId) => holdsFor(access.mutes, userId, now),
  };
};
