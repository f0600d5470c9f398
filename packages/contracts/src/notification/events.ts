import { Type, type Static, type TObject } from '@sinclair/typebox';
import { ErrorCode } from '../errors';
import { MessageId, RoomId, Seq, Timestamp, UserId } from '../primitives';

export const PushKeys = Type.Object({
  p256dh: Type.String({
    minLength: 1,
    maxLength: 256,
    description: "The browser's P-256 public key (base64url).",
  }),
  auth: Type.String({ minLength: 1, maxLength: 64, description: 'The auth secret (base64url, 16 bytes).' }),
});

/** Why a push subscription ended: its owner removed it, or the push service said it is gone. */
export const SubscriptionEnd = Type.Union([Type.Literal('unsubscribed'), Type.Literal('gone')]);

/** Where a delivery goes: a Web Push subscription, or the user's signed webhook. */
export const DeliveryChannel = Type.Union([Type.Literal('web_push'), Type.Literal('webhook')]);
export type DeliveryChannel = Static<typeof DeliveryChannel>;

/** What a push (and a webhook) carries, JSON, encrypted (aes128gcm) for Web Push. */
export const PushPayload = Type.Object({
  type: Type.Literal('message'),
  room_id: RoomId,
  message_id: MessageId,
  seq: Seq,
  sender_id: Type.String(),
  preview: Type.String({ description: 'The start of the content (at most 140 characters).' }),
  created_at: Timestamp,
});
export type PushPayload = Static<typeof PushPayload>;

const Delivery = {
  delivery_id: Type.String(),
  user_id: UserId,
  channel: DeliveryChannel,
  target_id: Type.String({ description: 'The subscription id, or `webhook`.' }),
  room_id: RoomId,
  message_id: MessageId,
  seq: Seq,
};

/**
 * Domain events of the notification service. A user's settings (push subscriptions, webhook,
 * muted rooms, read marks) live in the stream `notify-user-<user_id>`; every delivery (one
 * message to one target) in its own stream `notify-delivery-<delivery_id>`.
 */
export const NotificationServiceEvents = {
  PushSubscribed: Type.Object({
    user_id: UserId,
    subscription_id: Type.String(),
    endpoint: Type.String(),
    keys: PushKeys,
    subscribed_at: Timestamp,
  }),
  PushUnsubscribed: Type.Object({
    user_id: UserId,
    subscription_id: Type.String(),
    reason: SubscriptionEnd,
    unsubscribed_at: Timestamp,
  }),
  WebhookRegistered: Type.Object({
    user_id: UserId,
    url: Type.String(),
    secret: Type.String({ description: 'The HMAC-SHA256 key the signature header is made with.' }),
    registered_at: Timestamp,
  }),
  WebhookRemoved: Type.Object({ user_id: UserId, removed_at: Timestamp }),
  RoomMuted: Type.Object({ user_id: UserId, room_id: RoomId, muted_at: Timestamp }),
  RoomUnmuted: Type.Object({ user_id: UserId, room_id: RoomId, unmuted_at: Timestamp }),
  ReadMarked: Type.Object({
    user_id: UserId,
    room_id: RoomId,
    seq: Seq,
    marked_at: Timestamp,
    receipt: Type.Optional(
      Type.Boolean({
        description:
          "Whether the room's other members see this read (`read_receipts` was on); absent in events " +
          'recorded before receipts existed, which count as shown.',
      }),
    ),
  }),
  DeliveryRequested: Type.Object({
    ...Delivery,
    requested_at: Timestamp,
    /** What is pushed, kept so that a restart resumes the delivery (absent in older events). */
    payload: Type.Optional(PushPayload),
  }),
  ReadReceiptsSet: Type.Object({ user_id: UserId, read_receipts: Type.Boolean(), set_at: Timestamp }),
  DeliveryAttemptFailed: Type.Object({
    ...Delivery,
    attempt: Type.Integer({ minimum: 1 }),
    status: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status; null: no answer.' }),
    error: Type.String(),
    failed_at: Timestamp,
  }),
  DeliverySucceeded: Type.Object({
    ...Delivery,
    attempt: Type.Integer({ minimum: 1 }),
    status: Type.Integer(),
    delivered_at: Timestamp,
  }),
  DeliveryAbandoned: Type.Object({
    ...Delivery,
    attempts: Type.Integer({ minimum: 1 }),
    reason: Type.Union([Type.Literal('gone'), Type.Literal('attempts_exhausted')]),
    last_error: Type.String(),
    abandoned_at: Timestamp,
  }),
} satisfies Record<string, TObject>;

export type NotificationServiceEventType = keyof typeof NotificationServiceEvents;
export type NotificationServiceEvent = {
  [K in NotificationServiceEventType]: { type: K; data: Static<(typeof NotificationServiceEvents)[K]> };
}[NotificationServiceEventType];
export type NotificationEventOf<K extends NotificationServiceEventType> = Extract<
  NotificationServiceEvent,
  { type: K }
>;

export const NotifyUserStreamPrefix = 'notify-user-';
export const NotifyDeliveryStreamPrefix = 'notify-delivery-';
export const notifyUserStream = (userId: string): string => `${NotifyUserStreamPrefix}${userId}`;
export const notifyDeliveryStream = (deliveryId: string): string =>
  `${NotifyDeliveryStreamPrefix}${deliveryId}`;

/**
 * A command to the notification service on `notification.commands`, keyed by user id. The
 * gateway sends `MarkRead` for a client's `mark_read` frame.
 */
export const NotificationCommandRecord = Type.Object({
  command_id: Type.String(),
  correlation_id: Type.String(),
  actor_id: UserId,
  issued_at: Type.String({ description: 'ISO 8601 time, UTC.' }),
  command: Type.Object({
    type: Type.Literal('MarkRead'),
    data: Type.Object({ room_id: RoomId, seq: Seq }),
  }),
  reply_to: Type.Optional(
    Type.Object(
      { gateway: Type.String(), connection_id: Type.String() },
      { description: 'The connection whose frame this was: a refusal goes back to it.' },
    ),
  ),
});
export type NotificationCommandRecord = Static<typeof NotificationCommandRecord>;

/**
 * A refused notification command, on `notification.outcomes` keyed by gateway instance: that
 * gateway answers the connection that sent the frame with an `error`.
 */
export const NotificationRefused = Type.Object({
  gateway: Type.String(),
  connection_id: Type.String(),
  user_id: UserId,
  code: Type.Union(Object.values(ErrorCode).map((code) => Type.Literal(code))),
  message: Type.String(),
  ref: Type.String({ description: 'The type of the refused frame.' }),
});
export type NotificationRefused = Static<typeof NotificationRefused>;
