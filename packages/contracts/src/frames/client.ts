import { Type, type Static, type TObject } from '@sinclair/typebox';
import { ClientMsgId, MessageId, PresenceStatus, RoomId, Seq, SeqCursor } from '../primitives';
import { ReactionAction, ReactionEmoji } from '../message/reactions';
import { MlsBytes, MlsCommitFacts } from '../message/mls';
import { TypingState } from '../presence/signals';

/** Frames a client sends to `/ws`. The specification's frames are accepted exactly as written. */
export const ClientFrames = {
  authenticate: Type.Object(
    { type: Type.Literal('authenticate'), token: Type.String({ minLength: 1, maxLength: 8192 }) },
    { description: 'First frame after connecting; also refreshes the token of a long-lived connection.' },
  ),
  ping: Type.Object(
    { type: Type.Literal('ping'), ts: Type.Optional(Type.Number()) },
    { description: 'Application-level heartbeat; answered by `pong` echoing `ts`.' },
  ),
  join_room: Type.Object(
    { type: Type.Literal('join_room'), room_id: RoomId, last_seq: Type.Optional(SeqCursor) },
    { description: 'Join (or re-join) a room. With `last_seq`, every later message is delivered first.' },
  ),
  leave_room: Type.Object({ type: Type.Literal('leave_room'), room_id: RoomId }),
  send_message: Type.Object(
    {
      type: Type.Literal('send_message'),
      room_id: RoomId,
      /** Required in a plain room; absent in an end-to-end encrypted one, which takes `mls` instead. */
      content: Type.Optional(Type.String({ maxLength: 65536 })),
      message_type: Type.Optional(Type.Literal('text')),
      client_msg_id: Type.Optional(ClientMsgId),
      /** Replies in the thread of this message of the room (a reply's id means its root). */
      thread_id: Type.Optional(MessageId),
      /** In an end-to-end encrypted room: the MLSMessage, in place of `content`. */
      mls: Type.Optional(MlsBytes),
      /** With an `mls` commit: who it adds (with their Welcome) and removes. */
      mls_commit: Type.Optional(MlsCommitFacts),
    },
    {
      description:
        'A message to a room: `content` in a plain room, `mls` (an MLS PrivateMessage or PublicMessage) ' +
        'in an end-to-end encrypted one; exactly one of them.',
    },
  ),
  presence_update: Type.Object(
    { type: Type.Literal('presence_update'), status: PresenceStatus },
    {
      description:
        "Sets the status the members of the caller's rooms see while the caller is connected " +
        '(`offline`: appear offline). It falls back to `online` once every connection closed.',
    },
  ),
  typing: Type.Object(
    { type: Type.Literal('typing'), room_id: RoomId, state: TypingState },
    {
      description:
        'The caller is typing in a room joined on this connection. Repeat `start` at least every ' +
        '3 s while typing: an indicator ends by itself 5 s after the last one, or at `stop`.',
    },
  ),
  share_file: Type.Object({
    type: Type.Literal('share_file'),
    room_id: RoomId,
    file_url: Type.String({ minLength: 1, maxLength: 2048 }),
    file_name: Type.String({ minLength: 1, maxLength: 255 }),
    file_size: Type.Integer({ minimum: 0 }),
    client_msg_id: Type.Optional(ClientMsgId),
  }),
  mark_read: Type.Object(
    { type: Type.Literal('mark_read'), room_id: RoomId, seq: Seq },
    { description: 'The user has read the room up to `seq`: its unread count drops to what came after.' },
  ),
  react: Type.Object(
    {
      type: Type.Literal('react'),
      room_id: RoomId,
      message_id: MessageId,
      emoji: ReactionEmoji,
      action: ReactionAction,
      client_msg_id: Type.Optional(
        Type.String({ minLength: 1, maxLength: 128, description: 'Echoed in the answer and as `ref`.' }),
      ),
    },
    {
      description:
        'Add or remove the caller’s reaction to a message. Answered by `reaction_ack`, or an `error` ' +
        'whose `ref` is `client_msg_id` (else `react`). Adding twice, or removing what is not there, ' +
        'changes nothing and is answered all the same.',
    },
  ),
} satisfies Record<string, TObject>;

export type ClientFrameType = keyof typeof ClientFrames;
export type ClientFrame = { [K in ClientFrameType]: Static<(typeof ClientFrames)[K]> }[ClientFrameType];
export type ClientFrameOf<K extends ClientFrameType> = Static<(typeof ClientFrames)[K]>;
