import { reject, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import type { DecisionContext, RoomCommandOf, RoomEvent } from '../room-command';
import { factsOf, refuseNonManager, refuseNonModerator } from '../rooms/access';
import { refuseDirectChange } from '../direct/rules';
import type { RoomState } from '../rooms/room';

type Decision = Result<RoomEvent[], Rejection>;

export type ModerationCommand = RoomCommandOf<
  'ChangeMemberRole' | 'BanMember' | 'UnbanMember' | 'MuteMember' | 'UnmuteMember'
>;

/** Refuses when a guard objects, else decides. */
const unless = (rejection: Rejection | null, decide: () => Decision): Decision =>
  rejection ? refuse(rejection) : decide();

/** The actor outranks moderators in the room: its owner or a platform administrator. */
const outranksModerators = (state: RoomState, context: DecisionContext): boolean =>
  context.actor_is_admin || state.ownerId === context.actor_id;

const DONE = { ban: 'banned', mute: 'muted', remove: 'removed' } as const;

/**
 * Whether the actor, a moderator of the room, may remove, ban or mute `userId`: never themself nor
 * the owner; another moderator only if the actor is the owner or an administrator.
 */
export const refuseTarget = (
  state: RoomState,
  context: DecisionContext,
  userId: string,
  action: keyof typeof DONE,
): Rejection | null => {
  const notModerator = refuseNonModerator(state, context);
  if (notModerator) return notModerator;
  if (userId === context.actor_id) return reject('invalid_request', `You cannot ${action} yourself.`);
  if (userId === state.ownerId) return reject('forbidden', `The room owner cannot be ${DONE[action]}.`);
  if (state.members.get(userId)?.role === 'moderator' && !outranksModerators(state, context)) {
    return reject('forbidden', `Only the room owner or an administrator may ${action} a moderator.`);
  }
  return null;
};

/** The end a ban or mute is given: absent means until lifted; an end not after now is refused. */
const untilOf = (until: string | undefined, context: DecisionContext): Result<string | null, Rejection> => {
  if (until === undefined) return { ok: true, value: null };
  const end = new Date(until);
  if (Number.isNaN(end.getTime()) || end.getTime() <= Date.parse(context.decided_at)) {
    return { ok: false, error: reject('invalid_request', '`until` is a time in the future.') };
  }
  return { ok: true, value: end.toISOString() };
};

const notMember = (userId: string): Rejection =>
  reject('not_member', `${userId} is not a member of this room.`);

/** The owner or an administrator gives a member the moderator role, or takes it back. */
const changeMemberRole = ({ data, context }: RoomCommandOf<'ChangeMemberRole'>, state: RoomState): Decision =>
  unless(refuseNonManager(state, context), () => {
    const member = state.members.get(data.user_id);
    if (!member) return refuse(notMember(data.user_id));
    if (member.role === 'owner') return refuse(reject('forbidden', 'The room owner keeps their role.'));
    if (member.role === data.role) return accept();
    return accept({
      type: 'MemberRoleChanged',
      data: { ...data, changed_by: context.actor_id, changed_at: context.decided_at },
    });
  });

/**
 * A moderator bans a member (removed at once) or an outsider (kept out); the ban holds, public
 * rooms included, until `until` or until lifted. A ban decided again replaces the first.
 */
const banMember = ({ data, context }: RoomCommandOf<'BanMember'>, state: RoomState): Decision =>
  unless(refuseTarget(state, context, data.user_id, 'ban'), () => {
    const until = untilOf(data.until, context);
    if (!until.ok) return until;
    const reason = data.reason?.trim() || null;
    const current = state.bans.get(data.user_id);
    const standing = current?.until === until.value && current.reason === reason;
    if (standing && !state.members.has(data.user_id)) return accept();
    return accept({
      type: 'MemberBanned',
      data: {
        room_id: data.room_id,
        user_id: data.user_id,
        reason,
        until: until.value,
        banned_by: context.actor_id,
        banned_at: context.decided_at,
      },
    });
  });

/** A moderator lifts a ban (an ended one too); lifting none changes nothing. */
const unbanMember = ({ data, context }: RoomCommandOf<'UnbanMember'>, state: RoomState): Decision =>
  unless(refuseNonModerator(state, context), () =>
    state.bans.has(data.user_id)
      ? accept({
          type: 'MemberUnbanned',
          data: { ...data, unbanned_by: context.actor_id, unbanned_at: context.decided_at },
        })
      : accept(),
  );

/** A moderator mutes a member: they read on, but post, react and type nowhere in the room until it ends. */
const muteMember = ({ data, context }: RoomCommandOf<'MuteMember'>, state: RoomState): Decision =>
  unless(refuseTarget(state, context, data.user_id, 'mute'), () => {
    if (!state.members.has(data.user_id)) return refuse(notMember(data.user_id));
    const until = untilOf(data.until, context);
    if (!until.ok) return until;
    const current = state.mutes.get(data.user_id);
    if (current?.until === until.value) return accept();
    return accept({
      type: 'MemberMuted',
      data: {
        room_id: data.room_id,
        user_id: data.user_id,
        until: until.value,
        muted_by: context.actor_id,
        muted_at: context.decided_at,
      },
    });
  });

/** A moderator lifts a mute (an ended one too); lifting none changes nothing. */
const unmuteMember = ({ data, context }: RoomCommandOf<'UnmuteMember'>, state: RoomState): Decision =>
  unless(refuseNonModerator(state, context), () =>
    state.mutes.has(data.user_id)
      ? accept({
          type: 'MemberUnmuted',
          data: { ...data, unmuted_by: context.actor_id, unmuted_at: context.decided_at },
        })
      : accept(),
  );

/** Roles, bans and mutes: who moderates a room, and who is kept out of it or quiet in it. */
export const decideModeration = (command: ModerationCommand, state: RoomState): Decision => {
  const fixed = refuseDirectChange(command, state);
  if (fixed) return refuse(fixed);
  switch (command.type) {
    case 'ChangeMemberRole':
      return changeMemberRole(command, state);
    case 'BanMember':
      return banMember(command, state);
    case 'UnbanMember':
      return unbanMember(command, state);
    case 'MuteMember':
      return muteMember(command, state);
    case 'UnmuteMember':
      return unmuteMember(command, state);
  }
};

/** The bans in force at `now`, by user id: what `GET /api/rooms/{room_id}/bans` lists. */
export const bansInForce = (state: RoomState, now: string) => {
  const facts = factsOf(state, now);
  return state.bans
    .entries()
    .filter(([userId]) => facts?.isBanned(userId))
    .map(([user_id, ban]) => ({ user_id, ...ban }))
    .sort((a, b) => (a.user_id < b.user_id ? -1 : 1));
};
