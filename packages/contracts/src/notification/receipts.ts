import { Type, type Static } from '@sinclair/typebox';
import { RoomId, Seq, Timestamp, UserId } from '../primitives';

/** How far one member has read a room, as the other members see it. */
export const Receipt = Type.Object({
  user_id: UserId,
  seq: Seq,
  read_at: Timestamp,
});
export type Receipt = Static<typeof Receipt>;

/**
 * A member's read receipt for the room's other members, on `notification.receipts` keyed by room
 * id: published by the notification service at most once a second per user and room (the newest
 * seq read meanwhile), never lower than one published before; every gateway delivers it to the
 * room as a `receipt` frame.
 */
export const ReceiptAnnounced = Type.Composite([Type.Object({ room_id: RoomId }), Receipt]);
export type ReceiptAnnounced = Static<typeof ReceiptAnnounced>;

/** The caller's notification settings (`/api/notifications/settings`). */
export const NotificationSettings = Type.Object({
  read_receipts: Type.Boolean({
    description: "Whether the rooms' other members see how far the user has read (default true).",
  }),
});
export type NotificationSettings = Static<typeof NotificationSettings>;

export const NotificationSettingsBody = Type.Partial(NotificationSettings, { minProperties: 1 });
export type NotificationSettingsBody = Static<typeof NotificationSettingsBody>;
