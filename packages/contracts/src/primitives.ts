import { Type, type Static } from '@sinclair/typebox';

export const RoomId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$',
  description: 'Room identifier, e.g. `general` or `room-123`.',
});
export const UserId = Type.String({ minLength: 1, maxLength: 128, description: 'The JWT `sub` of a user.' });
export const MessageId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'Server-assigned message id.',
});
export const ClientMsgId = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'Client-chosen idempotency key: repeating it returns the original message id and seq.',
});
export const Seq = Type.Integer({
  minimum: 1,
  description: 'Per-room message sequence number: assigned once, strictly increasing, gap-free.',
});
export const FileId = Type.String({
  pattern: '^file_[A-Za-z0-9_-]{22}$',
  description: 'Media-service-assigned file id.',
});
export const SeqCursor = Type.Integer({
  minimum: 0,
  description: 'A sequence seen by the client (0: none).',
});
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 time, UTC.' });
/** `mls`: an end-to-end encrypted room's MLS message, carried in `mls` (its `content` is empty). */
export const MessageType = Type.Union([
  Type.Literal('text'),
  Type.Literal('file'),
  Type.Literal('system'),
  Type.Literal('mls'),
]);
/**
 * A user's status as others see it. Set with `presence_update` while connected (`offline`: appear
 * offline); `offline` whenever none of the user's connections is alive.
 */
export const PresenceStatus = Type.Union([
  Type.Literal('online'),
  Type.Literal('away'),
  Type.Literal('busy'),
  Type.Literal('offline'),
]);

export type RoomId = Static<typeof RoomId>;
export type UserId = Static<typeof UserId>;
export type FileId = Static<typeof FileId>;
export type MessageType = Static<typeof MessageType>;
export type PresenceStatus = Static<typeof PresenceStatus>;
