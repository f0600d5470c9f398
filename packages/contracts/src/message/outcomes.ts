import { Type, type Static } from '@sinclair/typebox';
import { ErrorCode } from '../errors';
import { ChatMessage } from '../frames/server';
import { ClientMsgId, MessageId, RoomId, Seq, SeqCursor, Timestamp, UserId } from '../primitives';
import { ReactionAction } from './reactions';

const Code = Type.Union(Object.values(ErrorCode).map((code) => Type.Literal(code)));

export const SendResult = Type.Object({
  kind: Type.Literal('message_sent'),
  room_id: RoomId,
  message_id: MessageId,
  seq: Seq,
  created_at: Timestamp,
  client_msg_id: Type.Union([ClientMsgId, Type.Null()]),
  duplicate: Type.Boolean({ description: 'The command id was seen before; nothing new was appended.' }),
  /** Only on a thread reply: its root. */
  thread_id: Type.Optional(MessageId),
});
export const RoomResult = Type.Object({ kind: Type.Literal('room'), room_id: RoomId, last_seq: SeqCursor });
export const EditResult = Type.Object({
  kind: Type.Literal('message_edited'),
  room_id: RoomId,
  message_id: MessageId,
  seq: Seq,
  content: Type.String({ description: 'The content as stored.' }),
  edited_at: Timestamp,
  duplicate: Type.Boolean({ description: 'The command id was seen before; nothing new was appended.' }),
});

export const ReactionResult = Type.Object({
  kind: Type.Literal('reaction'),
  room_id: RoomId,
  message_id: MessageId,
  user_id: UserId,
  emoji: Type.String(),
  action: ReactionAction,
  count: Type.Integer({ minimum: 0, description: 'How many users now have this emoji on the message.' }),
  changed: Type.Boolean({ description: 'False: the reaction already was so; nothing was appended.' }),
});

/**
 * What became of a command, published on `message.outcomes` keyed by `reply_to` so the gateway
 * that holds the client can answer it. Rejections live here, never in the aggregate's stream.
 */
export const Outcome = Type.Union([
  Type.Object({
    kind: Type.Literal('accepted'),
    command_id: Type.String(),
    correlation_id: Type.String(),
    reply_to: Type.Union([Type.String(), Type.Null()]),
    result: Type.Union([SendResult, EditResult, RoomResult, ReactionResult]),
  }),
  Type.Object({
    kind: Type.Literal('rejected'),
    command_id: Type.String(),
    correlation_id: Type.String(),
    reply_to: Type.Union([Type.String(), Type.Null()]),
    code: Code,
    message: Type.String(),
  }),
  Type.Object({
    kind: Type.Literal('resume_page'),
    query_id: Type.String(),
    reply_to: Type.String(),
    room_id: RoomId,
    messages: Type.Array(ChatMessage),
    last_seq: SeqCursor,
  }),
  Type.Object({
    kind: Type.Literal('resume_refused'),
    query_id: Type.String(),
    reply_to: Type.String(),
    code: Code,
    message: Type.String(),
  }),
]);
export type Outcome = Static<typeof Outcome>;
export type SendResult = Static<typeof SendResult>;
export type RoomResult = Static<typeof RoomResult>;
export type EditResult = Static<typeof EditResult>;
export type ReactionResult = Static<typeof ReactionResult>;
