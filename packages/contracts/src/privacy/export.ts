import { Type, type Static } from '@sinclair/typebox';
import { AuditRecord } from '../audit/records';
import { ChatMessage } from '../frames/server';
import { MemberRole } from '../message/events';
import { FileName, FileSize } from '../media/files';
import { FileId, RoomId, Seq, Timestamp, UserId } from '../primitives';

/**
 * Everything the platform holds about one user (GDPR art. 15 and 20), as `GET /api/me/export`
 * streams it: one JSON document, its arrays written as they are read, never whole in memory.
 */
export const AccountExport = Type.Object({
  user_id: UserId,
  exported_at: Timestamp,
  profile: Type.Object({
    user_id: UserId,
    roles: Type.Array(Type.String(), { description: 'The roles of the token that asked, if it is theirs.' }),
    erased: Type.Boolean({ description: 'The account was erased: what remains is tombstones.' }),
  }),
  memberships: Type.Array(
    Type.Object({ room_id: RoomId, room_name: Type.String(), role: MemberRole, joined_at: Timestamp }),
  ),
  messages: Type.Array(ChatMessage, {
    description: 'The messages they wrote, with their content as history shows it, by room then seq.',
  }),
  reactions: Type.Array(
    Type.Object({ room_id: RoomId, seq: Seq, emoji: Type.String(), reacted_at: Timestamp }),
  ),
  receipts: Type.Array(Type.Object({ room_id: RoomId, seq: Seq, read_at: Timestamp })),
  files: Type.Array(
    Type.Object({
      file_id: FileId,
      room_id: RoomId,
      file_name: FileName,
      file_size: FileSize,
      content_type: Type.String(),
      uploaded_at: Timestamp,
      file_url: Type.String({ description: 'GET it for a short-lived download link.' }),
    }),
  ),
  push_subscriptions: Type.Array(
    Type.Object({ subscription_id: Type.String(), endpoint: Type.String(), subscribed_at: Timestamp }),
  ),
  webhooks: Type.Array(Type.Object({ url: Type.String(), registered_at: Timestamp })),
  mutes: Type.Array(Type.Object({ room_id: RoomId, muted_at: Timestamp })),
  presence: Type.Object({ last_seen: Type.Union([Timestamp, Type.Null()]) }),
  audit: Type.Array(AuditRecord, { description: 'Audit entries they made or that concern them.' }),
});
export type AccountExport = Static<typeof AccountExport>;
