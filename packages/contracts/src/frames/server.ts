import { Type, type Static, type TObject } from '@sinclair/typebox';
import { ErrorCode } from '../errors';
import { RoomKind } from '../message/events';
import { FileAttachment } from '../media/files';
import { MessageReaction, ReactionAction } from '../message/reactions';
import { MlsBytes, RoomEncryption } from '../message/mls';
import { ThreadSummary } from '../message/threads';
import { UnreadCount } from '../notification/rest';
import { TypingState } from '../presence/signals';
import {
  ClientMsgId,
  MessageId,
  MessageType,
  PresenceStatus,
  RoomId,
  Seq,
  SeqCursor,
  Timestamp,
  UserId,
} from '../primitives';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const ChatMessage = Type.Object({
  room_id: RoomId,
  message_id: MessageId,
  seq: Seq,
  sender_id: UserId,
  content: Type.String(),
  message_type: MessageType,
  created_at: Timestamp,
  client_msg_id: Nullable(ClientMsgId),
  /** Only on messages of type `file`. */
  file: Type.Optional(FileAttachment),
  /** Only on a message that was edited: when it last was. */
  edited_at: Type.Optional(Timestamp),
  /** Only on a deleted message, kept as a tombstone (empty content) so seqs stay gap-free. */
  deleted_at: Type.Optional(Timestamp),
  /**
   * Only when the content is gone because its author's data was erased: a tombstone (empty
   * content, no attachment), its seq kept.
   */
  erased: Type.Optional(Type.Boolean()),
  /**
   * Only on a message older than its room's retention, kept as a tombstone (empty content, no
   * file, no reactions) so seqs stay gap-free.
   */
  expired: Type.Optional(Type.Boolean()),
  /** In history and resume: the message's reactions, in the order they were first given. */
  reactions: Type.Optional(Type.Array(MessageReaction)),
  /** Only on a thread reply: the message_id of the thread's root. */
  thread_id: Type.Optional(MessageId),
  /** Only on a thread's root, in history, once it had a reply. */
  thread: Type.Optional(ThreadSummary),
  /** Only on a message that mentions members (`@user_id`): them, as decided when it was sent. */
  mentions: Type.Optional(Type.Array(UserId)),
  /** Only on `mls` (an end-to-end encrypted room): the MLSMessage; `content` is empty. */
  mls: Type.Optional(MlsBytes),
});
export type ChatMessage = Static<typeof ChatMessage>;

/** Frames the gateway sends to a client. */
export const ServerFrames = {
  authenticated: Type.Object({
    type: Type.Literal('authenticated'),
    user_id: UserId,
    heartbeat_interval: Type.Integer({ description: 'Seconds between the pings the server expects.' }),
  }),
  pong: Type.Object({ type: Type.Literal('pong'), ts: Type.Optional(Type.Number()) }),
  room_joined: Type.Object(
    { type: Type.Literal('room_joined'), room_id: RoomId, last_seq: SeqCursor },
    { description: 'The room was joined; `last_seq` is its newest message at that moment (0: empty).' },
  ),
  room_left: Type.Object(
    {
      type: Type.Literal('room_left'),
      room_id: RoomId,
      reason: Type.Optional(
        Type.Union([Type.Literal('removed'), Type.Literal('banned')], {
          description: 'Absent when the user left; `removed` by a moderator; `banned` from the room.',
        }),
      ),
    },
    { description: 'The connection no longer receives the room (it left, or was removed or banned).' },
  ),
  ack: Type.Object(
    {
      type: Type.Literal('ack'),
      client_msg_id: Nullable(ClientMsgId),
      message_id: MessageId,
      room_id: RoomId,
      seq: Seq,
      created_at: Timestamp,
      /** Only on a thread reply: its root. */
      thread_id: Type.Optional(MessageId),
    },
    { description: 'The message is durably stored; repeated for a repeated `client_msg_id`.' },
  ),
  message: Type.Composite([Type.Object({ type: Type.Literal('message') }), ChatMessage]),
  member_joined: Type.Object({ type: Type.Literal('member_joined'), room_id: RoomId, user_id: UserId }),
  member_left: Type.Object({ type: Type.Literal('member_left'), room_id: RoomId, user_id: UserId }),
  room_updated: Type.Object({
    type: Type.Literal('room_updated'),
    room_id: RoomId,
    name: Type.String(),
    private: Type.Boolean(),
  }),
  room_deleted: Type.Object({ type: Type.Literal('room_deleted'), room_id: RoomId }),
  message_edited: Type.Object(
    {
      type: Type.Literal('message_edited'),
      room_id: RoomId,
      message_id: MessageId,
      seq: Seq,
      content: Type.String(),
      edited_at: Timestamp,
    },
    { description: 'The sender edited the message with this seq: it now reads `content`.' },
  ),
  message_deleted: Type.Object(
    { type: Type.Literal('message_deleted'), room_id: RoomId, message_id: MessageId, seq: Seq },
    { description: 'The message with this seq was deleted; history keeps its seq as a tombstone.' },
  ),
  history_expired: Type.Object(
    { type: Type.Literal('history_expired'), room_id: RoomId, through_seq: Seq },
    {
      description:
        "Every message up to `through_seq` is past the room's retention: history and resume keep " +
        'their seqs as tombstones (`expired: true`); a client drops what it holds of them.',
    },
  ),
  presence: Type.Object(
    {
      type: Type.Literal('presence'),
      user_id: UserId,
      status: PresenceStatus,
      last_seen: Nullable(Timestamp),
    },
    {
      description:
        'A member of one of the rooms joined on this connection changed status, or joined one of ' +
        'them; after `room_joined`, one per member of the room who is not offline.',
    },
  ),
  typing: Type.Object(
    { type: Type.Literal('typing'), room_id: RoomId, user_id: UserId, state: TypingState },
    {
      description:
        'A member started or stopped typing in the room; `stop` also comes when an indicator ' +
        'expired (5 s without renewal).',
    },
  ),
  unread: Type.Object(
    { type: Type.Literal('unread'), rooms: Type.Array(UnreadCount) },
    {
      description:
        "The user's unread counts: every room of theirs shortly after the connection " +
        'authenticates (what was missed while away: resume each room from its read mark), and a ' +
        "room's again whenever a `mark_read` from any of the user's devices moves its read mark.",
    },
  ),
  reaction: Type.Object(
    {
      type: Type.Literal('reaction'),
      room_id: RoomId,
      message_id: MessageId,
      seq: Seq,
      user_id: UserId,
      emoji: Type.String(),
      action: ReactionAction,
      count: Type.Integer({ minimum: 0, description: 'How many users now have this emoji on the message.' }),
    },
    { description: 'A member added or removed a reaction to the message.' },
  ),
  reaction_ack: Type.Object(
    {
      type: Type.Literal('reaction_ack'),
      client_msg_id: Nullable(Type.String()),
      room_id: RoomId,
      message_id: MessageId,
      emoji: Type.String(),
      action: ReactionAction,
      count: Type.Integer({ minimum: 0, description: 'How many users now have this emoji on the message.' }),
    },
    { description: 'The `react` frame is stored (or changed nothing: the reaction already was so).' },
  ),
  thread_updated: Type.Object(
    {
      type: Type.Literal('thread_updated'),
      room_id: RoomId,
      message_id: MessageId,
      seq: Seq,
      reply_count: Type.Integer({ minimum: 0 }),
      last_reply_at: Timestamp,
      participants: Type.Array(UserId, { maxItems: 10 }),
    },
    {
      description:
        'The thread rooted at this message gained a reply, or lost one to a deletion. ' +
        "`message_id` and `seq` are the root's; the rest is its new thread summary.",
    },
  ),
  error: Type.Object({
    type: Type.Literal('error'),
    code: Type.Union(Object.values(ErrorCode).map((code) => Type.Literal(code))),
    message: Type.String(),
    ref: Nullable(Type.String({ description: 'The client_msg_id of the refused frame, else its type.' })),
    retry_after_ms: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'On `rate_limited` and `overloaded`: how long to wait before sending the frame again (same client_msg_id).',
      }),
    ),
  }),
  report_created: Type.Object(
    {
      type: Type.Literal('report_created'),
      room_id: RoomId,
      report_id: Type.String(),
      message_id: MessageId,
      seq: Seq,
      sender_id: UserId,
      reporter_id: UserId,
      reason: Type.String(),
      reported_at: Timestamp,
    },
    {
      description:
        "A member reported a message: sent to every socket of the room's owner and moderators. " +
        'Resolve it with `POST /api/moderation/reports/{report_id}/resolve`.',
    },
  ),
  room_added: Type.Object(
    {
      type: Type.Literal('room_added'),
      room_id: RoomId,
      kind: RoomKind,
      members: Type.Array(UserId),
      encryption: Type.Optional(RoomEncryption),
    },
    {
      description:
        'A room was opened with the user in it (a direct room, by either of its members): sent to ' +
        'every socket of each member. Join it to receive its messages.',
    },
  ),
  mls_welcome: Type.Object(
    {
      type: Type.Literal('mls_welcome'),
      room_id: RoomId,
      seq: Seq,
      welcome: MlsBytes,
    },
    {
      description:
        "A commit at `seq` added the user to an end-to-end encrypted room's group: join it with this " +
        'Welcome (an MLSMessage), then acknowledge it (`DELETE /api/mls/welcomes/{room_id}/{seq}`). ' +
        'Kept until acknowledged: `GET /api/mls/welcomes` lists the pending ones.',
    },
  ),
  receipt: Type.Object(
    { type: Type.Literal('receipt'), room_id: RoomId, user_id: UserId, seq: Seq, read_at: Timestamp },
    {
      description:
        'A member of a joined room has read it up to `seq` (their `mark_read`): at most one a second ' +
        'per member and room, carrying the newest seq, never lower than one sent before. Members who ' +
        'turned `read_receipts` off send none.',
    },
  ),
} satisfies Record<string, TObject>;

export type ServerFrameType = keyof typeof ServerFrames;
export type ServerFrame = { [K in ServerFrameType]: Static<(typeof ServerFrames)[K]> }[ServerFrameType];
export type ServerFrameOf<K extends ServerFrameType> = Static<(typeof ServerFrames)[K]>;

/**
 * WebSocket close codes the gateway uses (4000-4999 is the application range). A frame over the
 * hard limit (1 MiB) is not read at all: the socket is dropped, which clients see as 1006.
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  abnormal: 1006,
  authenticationTimeout: 4001,
  tokenExpired: 4002,
  tooManyConnections: 4003,
  heartbeatTimeout: 4004,
  slowConsumer: 4005,
  /** Too many frames refused in a row (over the frame budget, binary, too large or malformed). */
  tooManyRefusedFrames: 4006,
  /** An administrator suspended the user: every socket of theirs closes, and authenticating is refused. */
  suspended: 4007,
  /** The user's account was erased: every socket of theirs closes, and authenticating is refused for good. */
  accountErased: 4008,
} as const;
