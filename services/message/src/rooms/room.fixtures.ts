import { NO_FILTER, type AssignableRole, type MemberRole, type MessageServiceCommand } from '@chat/contracts';
import { editIdFor, messageIdFor } from '../messages/message-id';
import type { DecisionContext, RoomEvent } from '../room-command';

/** Builders for decider specifications: past events and commands, in the domain's words. */
export const ROOM = 'room-1';
export const T0 = '2024-05-01T10:00:00.000Z';
export const T1 = '2024-05-01T10:05:00.000Z';

let commandCount = 0;

export const contextOf = (actorId: string, overrides: Partial<DecisionContext> = {}): DecisionContext => ({
  command_id: `command-${++commandCount}`,
  correlation_id: 'correlation-1',
  actor_id: actorId,
  actor_is_admin: false,
  issued_at: T0,
  reply_to: null,
  decided_at: T0,
  max_message_length: 20,
  content_filter: NO_FILTER,
  retention: { default_days: 90, min_days: 1, max_days: 365 },
  ...overrides,
});

/** A command issued by `actorId`, e.g. `as('alice', { type: 'JoinRoom', data: { room_id: ROOM } })`. */
export const as = <C extends MessageServiceCommand>(
  actorId: string,
  command: C,
  overrides: Partial<DecisionContext> = {},
): C & { context: DecisionContext } => ({ ...command, context: contextOf(actorId, overrides) });

export const memberJoined = (
  userId: string,
  role: MemberRole = 'member',
  addedBy = userId,
  joinedAt = T0,
): RoomEvent => ({
  type: 'MemberJoined',
  data: { room_id: ROOM, user_id: userId, role, added_by: addedBy, joined_at: joinedAt },
});

export const memberLeft = (userId: string, removedBy = userId): RoomEvent => ({
  type: 'MemberLeft',
  data: { room_id: ROOM, user_id: userId, removed_by: removedBy, left_at: T0 },
});

export const roleChanged = (userId: string, role: AssignableRole, by: string): RoomEvent => ({
  type: 'MemberRoleChanged',
  data: { room_id: ROOM, user_id: userId, role, changed_by: by, changed_at: T0 },
});

export const memberBanned = (
  userId: string,
  by: string,
  { until = null, reason = null }: { until?: string | null; reason?: string | null } = {},
): RoomEvent => ({
  type: 'MemberBanned',
  data: { room_id: ROOM, user_id: userId, reason, until, banned_by: by, banned_at: T0 },
});

export const memberUnbanned = (userId: string, by: string): RoomEvent => ({
  type: 'MemberUnbanned',
  data: { room_id: ROOM, user_id: userId, unbanned_by: by, unbanned_at: T0 },
});

export const memberMuted = (userId: string, by: string, until: string | null = null): RoomEvent => ({
  type: 'MemberMuted',
  data: { room_id: ROOM, user_id: userId, until, muted_by: by, muted_at: T0 },
});

export const memberUnmuted = (userId: string, by: string): RoomEvent => ({
  type: 'MemberUnmuted',
  data: { room_id: ROOM, user_id: userId, unmuted_by: by, unmuted_at: T0 },
});

const roomWith = (isPrivate: boolean, owner: string, members: string[]): RoomEvent[] => [
  {
    type: 'RoomCreated',
    data: { room_id: ROOM, name: 'Room one', private: isPrivate, owner_id: owner, created_at: T0 },
  },
  memberJoined(owner, 'owner'),
  ...members.map((member) => memberJoined(member, 'member', owner)),
];

export const publicRoom = (owner: string, ...members: string[]) => roomWith(false, owner, members);
export const privateRoom = (owner: string, ...members: string[]) => roomWith(true, owner, members);

export const roomDeleted = (by: string): RoomEvent => ({
  type: 'RoomDeleted',
  data: { room_id: ROOM, deleted_by: by, deleted_at: T0 },
});

export const messageSent = (
  seq: number,
  senderId: string,
  commandId = `past-${seq}`,
  createdAt = T0,
): RoomEvent => ({
  type: 'MessageSent',
  data: {
    room_id: ROOM,
    message_id: messageIdFor(ROOM, senderId, commandId),
    seq,
    sender_id: senderId,
    content: `message ${seq}`,
    message_type: 'text',
    client_msg_id: null,
    created_at: createdAt,
  },
});

/** The id of a message made by `messageSent(seq, senderId)` with its default command id. */
export const pastMessageId = (seq: number, senderId: string): string =>
  messageIdFor(ROOM, senderId, `past-${seq}`);

export const messageEdited = (
  seq: number,
  senderId: string,
  commandId: string,
  content = 'edited',
): RoomEvent => ({
  type: 'MessageEdited',
  data: {
    room_id: ROOM,
    message_id: pastMessageId(seq, senderId),
    seq,
    content,
    edit_id: editIdFor(ROOM, senderId, commandId),
    edited_at: T0,
  },
});

export const messageDeleted = (seq: number, senderId: string, deletedBy = senderId): RoomEvent => ({
  type: 'MessageDeleted',
  data: {
    room_id: ROOM,
    message_id: pastMessageId(seq, senderId),
    seq,
    deleted_by: deletedBy,
    deleted_at: T0,
  },
});
