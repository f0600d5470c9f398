import { Type, type Static } from '@sinclair/typebox';
import { ErrorCode } from './errors';
import { ChatMessage } from './frames/server';
import { MemberRole, RetentionDays, RoomContentFilter, RoomKind } from './message/events';
import { RoomEncryption } from './message/mls';
import { ClientMsgId, MessageId, RoomId, SeqCursor, Timestamp, UserId } from './primitives';

/** Shapes of the REST API; the OpenAPI document is generated from these. */
export const ErrorBody = Type.Object({
  code: Type.Union(Object.values(ErrorCode).map((code) => Type.Literal(code))),
  message: Type.String(),
  retry_after_ms: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'On `rate_limited`: how long to wait before trying again (also `Retry-After`, in seconds).',
    }),
  ),
});

export const Room = Type.Object({
  room_id: RoomId,
  name: Type.String(),
  private: Type.Boolean(),
  owner_id: UserId,
  member_count: Type.Integer(),
  last_seq: SeqCursor,
  created_at: Timestamp,
  role: Type.Union([MemberRole, Type.Null()], { description: "The caller's role, null if not a member." }),
  kind: RoomKind,
  members: Type.Optional(Type.Array(UserId, { description: 'Only on a direct room: its members, sorted.' })),
  retention_days: Type.Optional(
    Type.Number({ description: "Only when the room keeps messages for other than the deployment's days." }),
  ),
  /** Absent: `none`. */
  encryption: Type.Optional(RoomEncryption),
});
export type Room = Static<typeof Room>;

export const CreateRoomBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  private: Type.Optional(Type.Boolean({ default: false })),
  members: Type.Optional(Type.Array(UserId, { maxItems: 1000 })),
  retention_days: Type.Optional(RetentionDays),
  /** `mls`: end-to-end encrypted (docs/e2ee.md); fixed for the room's life. */
  encryption: Type.Optional(RoomEncryption),
});
export const UpdateRoomBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    private: Type.Optional(Type.Boolean()),
    content_filter: Type.Optional(RoomContentFilter),
    retention_days: Type.Optional(
      Type.Union([RetentionDays, Type.Null()], { description: "null: the deployment's retention." }),
    ),
  },
  { minProperties: 1 },
);
export const AddMemberBody = Type.Object({ user_id: UserId });
export const RoomParams = Type.Object({ room_id: RoomId });
export const MemberParams = Type.Object({ room_id: RoomId, user_id: UserId });
export const MessageParams = Type.Object({ room_id: RoomId, message_id: MessageId });
export const ReactionParams = Type.Object({
  room_id: RoomId,
  message_id: MessageId,
  emoji: Type.String({
    minLength: 1,
    maxLength: 128,
    description: 'The emoji or `:short_code:`, URL-encoded.',
  }),
});

export const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(
    Type.String({ format: 'date-time', description: 'Only messages created before this time.' }),
  ),
  before_seq: Type.Optional(Type.Integer({ minimum: 1, description: 'Only messages with a lower seq.' })),
  after_seq: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Only messages with a higher seq, oldest first.' }),
  ),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

export const HistoryPage = Type.Object({
  room_id: RoomId,
  messages: Type.Array(ChatMessage, { description: 'Ordered by seq, ascending.' }),
  has_more: Type.Boolean(),
});

/** A thread's replies are paged by seq only: they are room messages, numbered in the room. */
export const ThreadQuery = Type.Omit(HistoryQuery, ['before']);
export type ThreadQuery = Static<typeof ThreadQuery>;

export const ThreadPage = Type.Object({
  room_id: RoomId,
  thread_id: MessageId,
  messages: Type.Array(ChatMessage, { description: 'The replies, ordered by seq, ascending.' }),
  has_more: Type.Boolean(),
});

export const PostMessageBody = Type.Object({
  content: Type.String(),
  client_msg_id: Type.Optional(ClientMsgId),
  /** Replies in the thread of this message of the room (a reply's id means its root). */
  thread_id: Type.Optional(MessageId),
});
export const EditMessageBody = Type.Object({ content: Type.String() });
export const Member = Type.Object({ user_id: UserId, role: MemberRole, joined_at: Timestamp });

export const OpenDirectBody = Type.Object({
  user_id: Type.String({
    minLength: UserId.minLength,
    maxLength: UserId.maxLength,
    pattern: '\\S',
    description: 'The other member (oneself: notes to self); not blank.',
  }),
  /** `mls`: end-to-end encrypted; the pair's first opening fixes it. */
  encryption: Type.Optional(RoomEncryption),
});
export const DirectRoom = Type.Object({
  room_id: RoomId,
  kind: Type.Literal('direct'),
  members: Type.Array(UserId, { minItems: 1, maxItems: 2, description: 'Sorted; one for notes to self.' }),
  created_at: Timestamp,
  encryption: RoomEncryption,
});
export type DirectRoom = Static<typeof DirectRoom>;

export const MentionsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 512, description: 'The `next_cursor` of the previous page.' }),
  ),
});
export type MentionsQuery = Static<typeof MentionsQuery>;

export const MentionsPage = Type.Object({
  mentions: Type.Array(ChatMessage, {
    description: 'Messages mentioning the caller, in rooms they can still read, newest first.',
  }),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'null: no older mentions.' }),
});
export type MentionsPage = Static<typeof MentionsPage>;
