import type {
  DeadLetter,
  NotificationEventOf,
  PushPayload,
  PushSubscriptionBody,
  PushSubscriptionView,
  UnreadCount,
} from '@chat/contracts';

/**
 * The notification service's read model: each room's message seqs and senders (from
 * `message.events`), users' subscriptions, webhooks, mutes, read marks and dead letters (from
 * `notification.events`), and who is online (from presence). Who belongs to which room is not
 * here: the room access view (`@chat/room-access`) says. Adapters (SQLite embedded, MongoDB in the
 * fleet) pass the one suite in `conformance.ts`.
 */
export interface NotificationReadModel {
  /**
   * Applies what a batch of events changes, with their stream revisions, in order. An event at or
   * below its stream's applied revision (earlier ones of the batch included) was applied before:
   * it is skipped, which makes redelivery harmless. Returns, per update, whether it was applied.
   * One transaction (SQLite) or a few bulk writes (MongoDB) for the whole batch; every change is
   * itself idempotent, so a batch interrupted by a crash can be applied again in full.
   */
  applyBatch(updates: NotificationUpdate[]): Promise<boolean[]>;
  /** The stream's newest applied revision, or null before its first event. */
  appliedRevision(stream: string): Promise<number | null>;

  /** Which of these users muted the room. */
  mutedAmong(roomId: string, userIds: readonly string[]): Promise<Set<string>>;
  subscriptionsOf(userId: string): Promise<StoredSubscription[]>;
  webhookOf(userId: string): Promise<{ url: string; secret: string } | null>;
  /**
   * For each of the rooms given (those the user is a member of, with their join points), in that
   * order: the messages by others after max(read mark, join), and the room's newest seq.
   */
  unreadCounts(userId: string, rooms: readonly JoinedRoom[]): Promise<UnreadCount[]>;
  deadLetters(userId: string): Promise<DeadLetter[]>;
  /**
   * Deliveries requested and not ended yet (neither delivered nor abandoned), oldest first, up to
   * `limit`, after `after` (a page's last) when given: what a restart resumes.
   */
  pendingDeliveries(after: PendingDelivery | null, limit: number): Promise<PendingDelivery[]>;

  /** Presence as last heard: a status older than the stored one is ignored. */
  setPresence(userId: string, online: boolean, at: string): Promise<void>;
  /** Which of these users are online. */
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;

  close(): Promise<void>;
}

export interface StreamRevision {
  stream: string;
  revision: number;
}

/** What one event changes, at its stream revision. */
export interface NotificationUpdate {
  at: StreamRevision;
  changes: NotificationChange[];
}

/** A room a user is a member of, and the room's newest seq when they joined: their messages start after it. */
export interface JoinedRoom {
  room_id: string;
  joined_after_seq: number;
}

/** A delivery as requested, with what it pushes. */
export type PendingDelivery = Omit<NotificationEventOf<'DeliveryRequested'>['data'], 'payload'> & {
  payload: PushPayload;
};

export interface StoredSubscription extends PushSubscriptionView {
  user_id: string;
  keys: PushSubscriptionBody['keys'];
}

export type NotificationChange =
  | { kind: 'message_posted'; room_id: string; seq: number; sender_id: string }
  | { kind: 'subscription_added'; subscription: StoredSubscription }
  | { kind: 'subscription_removed'; subscription_id: string }
  | { kind: 'webhook_set'; user_id: string; url: string; secret: string }
  | { kind: 'webhook_removed'; user_id: string }
  | { kind: 'room_muted'; user_id: string; room_id: string }
  | { kind: 'room_unmuted'; user_id: string; room_id: string }
  | { kind: 'read_marked'; user_id: string; room_id: string; seq: number }
  | { kind: 'dead_lettered'; user_id: string; dead_letter: DeadLetter }
  | { kind: 'delivery_pending'; delivery: PendingDelivery }
  | { kind: 'delivery_ended'; delivery_id: string }
  /**
   * The user's data was erased: their subscriptions, webhook, mutes, read marks (so unread counts
   * and receipts), dead letters, presence and pending deliveries — to them, or of their messages —
   * go, and nothing of theirs is taken in afterwards.
   */
  | { kind: 'user_erased'; user_id: string };

/** Whose personal data a change writes (null: nobody's), so that an erased user's is left out. */
export const personOf = (change: NotificationChange): string | null => {
  switch (change.kind) {
    case 'subscription_added':
      return change.subscription.user_id;
    case 'webhook_set':
    case 'room_muted':
    case 'read_marked':
    case 'dead_lettered':
      return change.user_id;
    case 'delivery_pending':
      return change.delivery.user_id;
    default:
      return null;
  }
};
