import { Type, type Static } from '@sinclair/typebox';
import { MessageId, RoomId, Seq, SeqCursor, Timestamp } from '../primitives';
import { DeliveryChannel, PushKeys } from './events';

/** Shapes of the notification service's REST API (`/api/notifications`). */
export const PushSubscriptionBody = Type.Object({
  endpoint: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'The push service URL the browser gave.',
  }),
  keys: PushKeys,
});
export type PushSubscriptionBody = Static<typeof PushSubscriptionBody>;

export const PushSubscriptionView = Type.Object({
  subscription_id: Type.String(),
  endpoint: Type.String(),
  created_at: Timestamp,
});
export type PushSubscriptionView = Static<typeof PushSubscriptionView>;

export const SubscriptionParams = Type.Object({
  subscription_id: Type.String({ minLength: 1, maxLength: 64 }),
});
export const MuteParams = Type.Object({ room_id: RoomId });

export const WebhookBody = Type.Object({
  url: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'http(s) URL that receives a signed POST.',
  }),
});
export const WebhookView = Type.Object({
  url: Type.String(),
  secret: Type.String({
    description: 'Key of the `X-Chat-Signature: sha256=<hex HMAC-SHA256 of the body>` header; shown once.',
  }),
});
export type WebhookView = Static<typeof WebhookView>;

export const UnreadCount = Type.Object({
  room_id: RoomId,
  unread: Type.Integer({ minimum: 0, description: "Messages by others after the user's read mark." }),
  last_seq: SeqCursor,
});
export type UnreadCount = Static<typeof UnreadCount>;

export const DeadLetter = Type.Object({
  delivery_id: Type.String(),
  channel: DeliveryChannel,
  target_id: Type.String(),
  room_id: RoomId,
  message_id: MessageId,
  seq: Seq,
  attempts: Type.Integer(),
  reason: Type.String(),
  last_error: Type.String(),
  abandoned_at: Timestamp,
});
export type DeadLetter = Static<typeof DeadLetter>;

export const VapidPublicKey = Type.Object({
  public_key: Type.String({
    description: 'The applicationServerKey for `PushManager.subscribe` (base64url).',
  }),
});
