import {
  cleanText,
  reject,
  type MemberRole,
  type Rejection,
  type Result,
  type RoomContentFilter,
} from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import { refuseDirectChange } from '../direct/rules';
import type { DecisionContext, RoomCommand, RoomCommandOf, RoomEvent } from '../room-command';
import { factsOf, refuseNonManager, refuseNonMember, refuseUnseen } from './access';
import { refuseTarget } from '../moderation/decide';
import { refuseBlockedIn } from '../moderation/content';
import { refuseRetention, retentionChanged } from '../retention/decide';
import { evolve, type RoomState } from './room';

type Decision = Result<RoomEvent[], Rejection>;
export type RoomManagementCommand = Exclude<
  RoomCommand,
  {
    type:
      | 'SendMessage'
      | 'EditMessage'
      | 'DeleteMessage'
      | 'OpenDirectRoom'
      | 'ReactToMessage'
      | 'ChangeMemberRole'
      | 'BanMember'
      | 'UnbanMember'
      | 'MuteMember'
      | 'UnmuteMember'
      | 'ReportMessage'
      | 'ResolveReport'
      | 'ExpireHistory'
      | 'AcknowledgeMlsWelcome';
  }
>;

export const memberJoined = (
  roomId: string,
  userId: string,
  role: MemberRole,
  context: DecisionContext,
): RoomEvent => ({
  type: 'MemberJoined',
  data: { room_id: roomId, user_id: userId, role, added_by: context.actor_id, joined_at: context.decided_at },
});

export const memberLeft = (roomId: string, userId: string, context: DecisionContext): RoomEvent => ({
  type: 'MemberLeft',
  data: { room_id: roomId, user_id: userId, removed_by: context.actor_id, left_at: context.decided_at },
});

/** Refuses when a guard objects, else decides. */
const unless = (rejection: Rejection | null, decide: () => Decision): Decision =>
  rejection ? refuse(rejection) : decide();

/** Room names are shown to every member: stored cleaned, never blank once cleaned. */
const blankName = (): Rejection => reject('invalid_request', 'A room name is not blank.');

const createRoom = ({ data, context }: RoomCommandOf<'CreateRoom'>, state: RoomState): Decision => {
  if (state.status !== 'absent') return refuse(reject('room_exists', `Room ${data.room_id} already exists.`));
  const name = cleanText(data.name);
  if (name.trim() === '') return refuse(blankName());
  const blocked = refuseBlockedIn(state, context, name, 'The room name');
  if (blocked) return refuse(blocked);
  const retention = data.retention_days ?? null;
  const outOfBounds = refuseRetention(retention, context);
  if (outOfBounds) return refuse(outOfBounds);
  const owner = context.actor_id;
  const members = [...new Set(data.members)].filter((userId) => userId !== owner);
  const encrypted = data.encryption === 'mls';
  return accept(
    {
      type: 'RoomCreated',
      data: {
        room_id: data.room_id,
        name,
        // Nobody joins an encrypted room by themself: only a commit's Welcome lets them read it.
        private: data.private || encrypted,
        owner_id: owner,
        created_at: context.decided_at,
        ...(encrypted ? { encryption: 'mls' as const } : {}),
      },
    },
    ...(retention === null ? [] : [retentionChanged(data.room_id, retention, context)]),
    memberJoined(data.room_id, owner, 'owner', context),
    ...members.map((userId) => memberJoined(data.room_id, userId, 'member', context)),
  );
};

/**
 * The owner renames the room, changes its privacy, its own content filter or its retention (within
 * the deployment's bounds); the new name passes both filters.
 */
const updateRoom = ({ data, context }: RoomCommandOf<'UpdateRoom'>, state: RoomState): Decision =>
  unless(refuseNonManager(state, context), () => {
    const name = data.name === undefined ? state.name : cleanText(data.name);
    if (name.trim() === '') return refuse(blankName());
    const filterSettings = data.content_filter ?? state.contentFilter.settings;
    const filterChanged = !sameContentFilter(filterSettings, state.contentFilter.settings);
    const after = filterChanged
      ? evolve(state, contentFilterChanged(data.room_id, filterSettings, context))
      : state;
    if (name !== state.name) {
      const blocked = refuseBlockedIn(after, context, name, 'The room name');
      if (blocked) return refuse(blocked);
    }
    const retention = data.retention_days === undefined ? state.retentionDays : data.retention_days;
    // Only a change is checked: a setting the bounds have since moved away from stays as it was.
    const outOfBounds = retention === state.retentionDays ? null : refuseRetention(retention, context);
    if (outOfBounds) return refuse(outOfBounds);
    const isPrivate = data.private ?? state.private;
    const updated: RoomEvent[] =
      name === state.name && isPrivate === state.private
        ? []
        : [
            {
              type: 'RoomUpdated',
              data: {
                room_id: data.room_id,
                name,
                private: isPrivate,
                updated_by: context.actor_id,
                updated_at: context.decided_at,
              },
            },
          ];
    return accept(
      ...updated,
      ...(filterChanged ? [contentFilterChanged(data.room_id, filterSettings, context)] : []),
      ...(retention === state.retentionDays ? [] : [retentionChanged(data.room_id, retention, context)]),
    );
  });

const contentFilterChanged = (
  roomId: string,
  contentFilter: RoomContentFilter,
  context: DecisionContext,
): RoomEvent => ({
  type: 'RoomContentFilterChanged',
  data: {
    room_id: roomId,
    content_filter: contentFilter,
    changed_by: context.actor_id,
    changed_at: context.decided_at,
  },
});

const sameContentFilter = (a: RoomContentFilter, b: RoomContentFilter): boolean =>
  a.block_links === b.block_links &&
  a.blocked_terms.length === b.blocked_terms.length &&
  a.blocked_terms.every((term, index) => term === b.blocked_terms[index]);

const deleteRoom = ({ data, context }: RoomCommandOf<'DeleteRoom'>, state: RoomState): Decision =>
  unless(refuseNonManager(state, context), () =>
    accept({
      type: 'RoomDeleted',
      data: { room_id: data.room_id, deleted_by: context.actor_id, deleted_at: context.decided_at },
    }),
  );

/** Anyone may join a public room; a private one is joined by being added (members may "re-join"). */
const joinRoom = ({ data, context }: RoomCommandOf<'JoinRoom'>, state: RoomState): Decision =>
  unless(refuseUnseen(state, context), () => {
    if (state.members.has(context.actor_id)) return accept();
    // Only an administrator gets here: to everyone else an unjoined private room is not found.
    if (state.private) return refuse(reject('forbidden', 'A private room is joined by being added to it.'));
    return accept(memberJoined(data.room_id, context.actor_id, 'member', context));
  });

const leaveRoom = ({ data, context }: RoomCommandOf<'LeaveRoom'>, state: RoomState): Decision =>
  unless(refuseNonMember(state, context), () => accept(memberLeft(data.room_id, context.actor_id, context)));

/** A banned user is not added until the ban ends or is lifted. */
const addMember = ({ data, context }: RoomCommandOf<'AddMember'>, state: RoomState): Decision =>
  unless(refuseNonManager(state, context), () => {
    if (state.members.has(data.user_id)) return accept();
    if (factsOf(state, context.decided_at)?.isBanned(data.user_id)) {
      return refuse(reject('banned', `${data.user_id} is banned from this room; lift the ban first.`));
    }
    return accept(memberJoined(data.room_id, data.user_id, 'member', context));
  });

/**
 * Every member may remove themself; a moderator removes members, the owner or an administrator
 * moderators too; nobody removes the owner.
 */
const removeMember = ({ data, context }: RoomCommandOf<'RemoveMember'>, state: RoomState): Decision => {
  const refusal =
    data.user_id === context.actor_id
      ? refuseUnseen(state, context)
      : refuseTarget(state, context, data.user_id, 'remove');
  return unless(refusal, () =>
    state.members.has(data.user_id)
      ? accept(memberLeft(data.room_id, data.user_id, context))
      : refuse(reject('not_member', `${data.user_id} is not a member of this room.`)),
  );
};

export const decideRoomManagement = (command: RoomManagementCommand, state: RoomState): Decision => {
  const fixed = refuseDirectChange(command, state);
  if (fixed) return refuse(fixed);
  switch (command.type) {
    case 'CreateRoom':
      return createRoom(command, state);
    case 'UpdateRoom':
      return updateRoom(command, state);
    case 'DeleteRoom':
      return deleteRoom(command, state);
    case 'JoinRoom':
      return joinRoom(command, state);
    case 'LeaveRoom':
      return leaveRoom(command, state);
    case 'AddMember':
      return addMember(command, state);
    case 'RemoveMember':
      return removeMember(command, state);
  }
};
