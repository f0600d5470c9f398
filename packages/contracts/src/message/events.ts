import { Type, type Static, type TObject } from '@sinclair/typebox';
import { FileAttachment } from '../media/files';
import { ClientMsgId, MessageId, MessageType, RoomId, Seq, Timestamp, UserId } from '../primitives';

export const MemberRole = Type.Union([Type.Literal('owner'), Type.Literal('member')]);
export type MemberRole = Static<typeof MemberRole>;

/** Domain events of the message service, appended to the stream `room-<room_id>`. */
export const MessageServiceEvents = {
  RoomCreated: Type.Object({
    room_id: RoomId,
    name: Type.String(),
    private: Type.Boolean(),
    owner_id: UserId,
    created_at: Timestamp,
  }),
  RoomUpdated: Type.Object({
    room_id: RoomId,
    name: Type.String(),
    private: Type.Boolean(),
    updated_by: UserId,
    updated_at: Timestamp,
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
    mentions: Type.Optional(
      Type.Array(UserId, {
        description: 'The members of the room at send time the content mentions (`@user_id`); absent: none.',
      }),
    ),
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
} satisfies Record<string, TObject>;

export type MessageServiceEventType = keyof typeof MessageServiceEvents;
export type MessageServiceEvent = {
  [K in MessageServiceEventType]: { type: K; data: Static<(typeof MessageServiceEvents)[K]> };
}[MessageServiceEventType];
export type EventOf<K extends MessageServiceEventType> = Extract<MessageServiceEvent, { type: K }>;

export const roomStream = (roomId: string): string => `room-${roomId}`;
export const RoomStreamPrefix = 'room-';
