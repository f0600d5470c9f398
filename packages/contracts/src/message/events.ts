import { Type, type Static, type TObject } from '@sinclair/typebox';
import { FileAttachment } from '../media/files';
import { ClientMsgId, MessageId, MessageType, RoomId, Seq, Timestamp, UserId } from '../primitives';
import { MlsBytes, MlsFraming, RoomEncryption } from './mls';
import { ThreadSummary } from './threads';

/** A room's owner manages it; its moderators remove, mute and ban members and delete their messages. */
export const MemberRole = Type.Union([
  Type.Literal('owner'),
  Type.Literal('moderator'),
  Type.Literal('member'),
]);
export type MemberRole = Static<typeof MemberRole>;

/** The roles the owner (or an administrator) gives: a room has exactly one owner, its creator. */
export const AssignableRole = Type.Union([Type.Literal('moderator'), Type.Literal('member')]);
export type AssignableRole = Static<typeof AssignableRole>;

/** What a room's owner adds to the deployment's content filter (plain terms: no expressions). */
export const RoomContentFilter = Type.Object({
  blocked_terms: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    maxItems: 100,
    description: 'Words or phrases refused in the room, matched whole and however disguised.',
  }),
  block_links: Type.Boolean({ description: 'Refuse messages holding a link.' }),
});
export type RoomContentFilter = Static<typeof RoomContentFilter>;

/** What a moderator does about a report: nothing, or delete the message, ban or mute its sender. */
export const ReportAction = Type.Union([
  Type.Literal('dismiss'),
  Type.Literal('delete_message'),
  Type.Literal('ban'),
  Type.Literal('mute'),
]);
export type ReportAction = Static<typeof ReportAction>;

const Until = Type.Union([Timestamp, Type.Null()], {
  description: 'When it ends by itself; null: until lifted.',
});

/**
 * How many days a room keeps its messages; older ones expire (tombstones in history, gone from
 * search, their keys destroyed). Fractions allowed; the deployment bounds it
 * (`messages.retention_days_min` / `_max`).
 */
export const RetentionDays = Type.Number({ exclusiveMinimum: 0, maximum: 36500 });

/** A `group` room is created, named and managed by its owner; a `direct` room is one pair's conversation. */
export const RoomKind = Type.Union([Type.Literal('group'), Type.Literal('direct')]);
export type RoomKind = Static<typeof RoomKind>;

/** Domain events of the message service, appended to the stream `room-<room_id>`. */
export const MessageServiceEvents = {
  RoomCreated: Type.Object({
    room_id: RoomId,
    name: Type.String(),
    private: Type.Boolean(),
    owner_id: UserId,
    created_at: Timestamp,
    /** Absent on the rooms created before direct rooms existed, which are all `group`. */
    kind: Type.Optional(RoomKind),
    /** A direct room's members (one for notes to oneself), fixed for good; `MemberJoined` follows for each. */
    members: Type.Optional(Type.Array(UserId, { minItems: 1, maxItems: 2 })),
    /** Absent: `none`. */
    encryption: Type.Optional(RoomEncryption),
  }),
  RoomUpdated: Type.Object({
    room_id: RoomId,
    name: Type.String(),
    private: Type.Boolean(),
    updated_by: UserId,
    updated_at: Timestamp,
  }),
  /** The room's own content filter, replaced whole. */
  RoomContentFilterChanged: Type.Object({
    room_id: RoomId,
    content_filter: RoomContentFilter,
    changed_by: UserId,
    changed_at: Timestamp,
  }),
  /** The room's own retention, replacing the deployment's `messages.retention_days`; null: back to it. */
  RoomRetentionChanged: Type.Object({
    room_id: RoomId,
    retention_days: Type.Union([RetentionDays, Type.Null()]),
    changed_by: UserId,
    changed_at: Timestamp,
  }),
  /**
   * Every message up to `through_seq` was created before `cutoff`, beyond the room's retention:
   * projections blank their copies to tombstones (`expired: true`) or drop them; seqs stay.
   */
  RoomHistoryExpired: Type.Object({
    room_id: RoomId,
    through_seq: Seq,
    cutoff: Timestamp,
    expired_at: Timestamp,
  }),
  RoomDeleted: Type.Object({ room_id: RoomId, deleted_by: UserId, deleted_at: Timestamp }),
  MemberJoined: Type.Object({
    room_id: RoomId,
    user_id: UserId,
    role: MemberRole,
    added_by: UserId,
    joined_at: Timestamp,
  }),
  MemberLeft: Type.Object({ room_id: RoomId, user_id: UserId, removed_by: UserId, left_at: Timestamp }),
  MemberRoleChanged: Type.Object({
    room_id: RoomId,
    user_id: UserId,
    role: AssignableRole,
    changed_by: UserId,
    changed_at: Timestamp,
  }),
  /** The user is refused the room until `until` (or the ban is lifted); a member is removed at once. */
  MemberBanned: Type.Object({
    room_id: RoomId,
    user_id: UserId,
    reason: Type.Union([Type.String(), Type.Null()]),
    until: Until,
    banned_by: UserId,
    banned_at: Timestamp,
  }),
  MemberUnbanned: Type.Object({
    room_id: RoomId,
    user_id: UserId,
    unbanned_by: UserId,
    unbanned_at: Timestamp,
  }),
  /** The member still reads the room but may not post, react or type in it until `until` (or unmuted). */
  MemberMuted: Type.Object({
    room_id: RoomId,
    user_id: UserId,
    until: Until,
    muted_by: UserId,
    muted_at: Timestamp,
  }),
  /** A member reported a message to the room's moderators. */
  MessageReported: Type.Object({
    room_id: RoomId,
    report_id: Type.String(),
    message_id: MessageId,
    seq: Seq,
    sender_id: UserId,
    reporter_id: UserId,
    reason: Type.String(),
    reported_at: Timestamp,
  }),
  /** A moderator closed a report; the action's own events (a deletion, a ban, a mute) come before it. */
  ReportResolved: Type.Object({
    room_id: RoomId,
    report_id: Type.String(),
    action: ReportAction,
    resolved_by: UserId,
    resolved_at: Timestamp,
  }),
  MemberUnmuted: Type.Object({ room_id: RoomId, user_id: UserId, unmuted_by: UserId, unmuted_at: Timestamp }),
  MessageSent: Type.Object({
    room_id: RoomId,
    message_id: MessageId,
    seq: Seq,
    sender_id: UserId,
    content: Type.String(),
    message_type: MessageType,
    client_msg_id: Type.Union([ClientMsgId, Type.Null()]),
    created_at: Timestamp,
    file: Type.Optional(FileAttachment),
    /** Only on a thread reply: its root's message id (never another reply's). */
    thread_id: Type.Optional(MessageId),
    mentions: Type.Optional(
      Type.Array(UserId, {
        description: 'The members of the room at send time the content mentions (`@user_id`); absent: none.',
      }),
    ),
    /** Only on `mls`: the MLSMessage and its public framing as the server read it. */
    mls: Type.Optional(Type.Composite([Type.Object({ message: MlsBytes }), MlsFraming])),
  }),
  /** An MLS commit added these users: the Welcome is theirs, kept until each acknowledges it. */
  MlsWelcomeSent: Type.Object({
    room_id: RoomId,
    seq: Type.Integer({ minimum: 1, description: "The commit's seq." }),
    recipients: Type.Array(UserId, { minItems: 1 }),
    welcome: MlsBytes,
    sent_at: Timestamp,
  }),
  /** The user joined the group from the Welcome of the commit at `seq` (or gave up on it). */
  MlsWelcomeAcknowledged: Type.Object({
    room_id: RoomId,
    seq: Type.Integer({ minimum: 1 }),
    user_id: UserId,
    acknowledged_at: Timestamp,
  }),
  MessageEdited: Type.Object({
    room_id: RoomId,
    message_id: MessageId,
    seq: Seq,
    content: Type.String(),
    edit_id: Type.String({
      description: 'Derived from the edit command: a repeated command is recognised by it.',
    }),
    edited_at: Timestamp,
  }),
  MessageDeleted: Type.Object({
    room_id: RoomId,
    message_id: MessageId,
    seq: Seq,
    deleted_by: UserId,
    deleted_at: Timestamp,
  }),
  ReactionAdded: Type.Object({
    room_id: RoomId,
    message_id: MessageId,
    seq: Seq,
    user_id: UserId,
    emoji: Type.String(),
    count: Type.Integer({ minimum: 1, description: 'How many users now have this emoji on the message.' }),
    reacted_at: Timestamp,
  }),
  ReactionRemoved: Type.Object({
    room_id: RoomId,
    message_id: MessageId,
    seq: Seq,
    user_id: UserId,
    emoji: Type.String(),
    count: Type.Integer({ minimum: 0, description: 'How many users still have this emoji on the message.' }),
    removed_at: Timestamp,
  }),
  /** A root's thread summary after a reply to it was sent or deleted: the whole of it, not a delta. */
  ThreadUpdated: Type.Object({
    room_id: RoomId,
    message_id: MessageId,
    seq: Seq,
    thread: ThreadSummary,
  }),
} satisfies Record<string, TObject>;

export type MessageServiceEventType = keyof typeof MessageServiceEvents;
export type MessageServiceEvent = {
  [K in MessageServiceEventType]: { type: K; data: Static<(typeof MessageServiceEvents)[K]> };
}[MessageServiceEventType];
export type EventOf<K extends MessageServiceEventType> = Extract<MessageServiceEvent, { type: K }>;

export const roomStream = (roomId: string): string => `room-${roomId}`;
export const RoomStreamPrefix = 'room-';
