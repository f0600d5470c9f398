import { Type, type Static, type TObject } from '@sinclair/typebox';
import { SharedFileRef } from '../media/files';
import { ClientMsgId, MessageId, RoomId, Seq, SeqCursor, Timestamp, UserId } from '../primitives';
import { AssignableRole, ReportAction, RetentionDays, RoomContentFilter } from './events';
import { MlsBytes, MlsCommitFacts, RoomEncryption } from './mls';
import { ReactionAction, ReactionEmoji } from './reactions';

/** Commands the message service decides on. `actor_id` is the authenticated user who issued it. */
export const MessageServiceCommands = {
  CreateRoom: Type.Object({
    room_id: RoomId,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    private: Type.Boolean(),
    members: Type.Array(UserId, { maxItems: 1000 }),
    /** Absent: the deployment's `messages.retention_days`. */
    retention_days: Type.Optional(RetentionDays),
    /** Absent: `none`. Fixed for the room's life. */
    encryption: Type.Optional(RoomEncryption),
  }),
  UpdateRoom: Type.Object({
    room_id: RoomId,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    private: Type.Optional(Type.Boolean()),
    content_filter: Type.Optional(RoomContentFilter),
    /** null: back to the deployment's `messages.retention_days`. */
    retention_days: Type.Optional(Type.Union([RetentionDays, Type.Null()])),
  }),
  /**
   * The retention sweeper expires the room's messages up to `through_seq`, all created before
   * `cutoff`; refused when the cutoff is later than the room's retention allows. Repeats change nothing.
   */
  ExpireHistory: Type.Object({ room_id: RoomId, through_seq: Seq, cutoff: Timestamp }),
  DeleteRoom: Type.Object({ room_id: RoomId }),
  JoinRoom: Type.Object({ room_id: RoomId }),
  LeaveRoom: Type.Object({ room_id: RoomId }),
  AddMember: Type.Object({ room_id: RoomId, user_id: UserId }),
  RemoveMember: Type.Object({ room_id: RoomId, user_id: UserId }),
  /** The owner or an administrator makes a member a moderator, or a moderator a member again. */
  ChangeMemberRole: Type.Object({ room_id: RoomId, user_id: UserId, role: AssignableRole }),
  /**
   * A moderator bans a member or a non-member (the owner or an administrator also bans moderators);
   * nobody bans the owner or themself. Banning again replaces the ban's reason and end.
   */
  BanMember: Type.Object({
    room_id: RoomId,
    user_id: UserId,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    until: Type.Optional(Timestamp),
  }),
  UnbanMember: Type.Object({ room_id: RoomId, user_id: UserId }),
  /** As a ban, but the member stays and reads: they may not post, react or type until it ends. */
  MuteMember: Type.Object({ room_id: RoomId, user_id: UserId, until: Type.Optional(Timestamp) }),
  UnmuteMember: Type.Object({ room_id: RoomId, user_id: UserId }),
  /** A member reports another's message to the room's moderators; reporting it again changes nothing. */
  ReportMessage: Type.Object({
    room_id: RoomId,
    message_id: MessageId,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  }),
  /** A moderator resolves an open report; `ban` and `mute` act on the message's sender (`until`: their end). */
  ResolveReport: Type.Object({
    room_id: RoomId,
    report_id: Type.String({ minLength: 1, maxLength: 300 }),
    action: ReportAction,
    until: Type.Optional(Timestamp),
  }),
  SendMessage: Type.Object({
    room_id: RoomId,
    content: Type.String(),
    message_type: Type.Union([Type.Literal('text'), Type.Literal('file'), Type.Literal('mls')]),
    /** On `mls`: the MLSMessage (PrivateMessage or PublicMessage) of an end-to-end encrypted room. */
    mls: Type.Optional(MlsBytes),
    /** On an MLS commit: the membership it changes and the Welcome of those it adds. */
    mls_commit: Type.Optional(MlsCommitFacts),
    client_msg_id: Type.Union([ClientMsgId, Type.Null()]),
    /** The upload a message of type `file` shares. */
    file: Type.Optional(SharedFileRef),
    /** A reply: the id of a message of the room, whose thread's root the reply joins. */
    thread_id: Type.Optional(MessageId),
  }),
  /** Only the sender edits, while a member; the content is checked as a new message's is. */
  EditMessage: Type.Object({ room_id: RoomId, message_id: MessageId, content: Type.String() }),
  /** The sender (while a member), the room owner or an administrator deletes. */
  DeleteMessage: Type.Object({ room_id: RoomId, message_id: MessageId }),
  /**
   * Opens the actor's direct room with `user_id` (themself: notes to self), or finds it open.
   * `room_id` must be the one derived from the pair, so the pair has exactly one room.
   */
  OpenDirectRoom: Type.Object({
    room_id: RoomId,
    user_id: UserId,
    /** Absent: `none`. A pair's direct room is one room: the first opening fixes its encryption. */
    encryption: Type.Optional(RoomEncryption),
  }),
  /** A user joined the group from a Welcome kept for them (the commit's seq), or gives up on it. */
  AcknowledgeMlsWelcome: Type.Object({ room_id: RoomId, seq: Type.Integer({ minimum: 1 }) }),
  /** A member adds or removes their reaction with one emoji; repeating either changes nothing. */
  ReactToMessage: Type.Object({
    room_id: RoomId,
    message_id: MessageId,
    emoji: ReactionEmoji,
    action: ReactionAction,
  }),
} satisfies Record<string, TObject>;

export type MessageServiceCommandType = keyof typeof MessageServiceCommands;
export type MessageServiceCommand = {
  [K in MessageServiceCommandType]: { type: K; data: Static<(typeof MessageServiceCommands)[K]> };
}[MessageServiceCommandType];
export type CommandOf<K extends MessageServiceCommandType> = Extract<MessageServiceCommand, { type: K }>;

/** Who issued a command and under which ids; travels with every command on the bus. */
export const CommandContext = Type.Object({
  command_id: Type.String({ minLength: 1, maxLength: 200 }),
  correlation_id: Type.String({ minLength: 1, maxLength: 200 }),
  actor_id: UserId,
  actor_is_admin: Type.Boolean(),
  issued_at: Type.String(),
  reply_to: Type.Union([Type.String(), Type.Null()], {
    description: 'The gateway instance awaiting the outcome.',
  }),
});
export type CommandContext = Static<typeof CommandContext>;

/** A command as it travels on `message.commands`, keyed by room id. */
export const CommandRecord = Type.Object({
  context: CommandContext,
  command: Type.Object({ type: Type.String(), data: Type.Unknown() }),
});
export type CommandRecord = Static<typeof CommandRecord>;

/** A read of a room's messages after a sequence, for a gateway resuming a client. */
export const ResumeQuery = Type.Object({
  query_id: Type.String(),
  reply_to: Type.String(),
  room_id: RoomId,
  user_id: UserId,
  after_seq: SeqCursor,
  limit: Type.Integer({ minimum: 1, maximum: 500 }),
  expires_at: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        'When the asking gateway stops waiting for the answer (it asks again under a new id): ' +
        'a query still unread then is dropped, not answered, so a backlog of queries drains.',
    }),
  ),
});
export type ResumeQuery = Static<typeof ResumeQuery>;
