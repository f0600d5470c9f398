import type { DeadLetter, PushSubscriptionBody, PushSubscriptionView, UnreadCount } from '@chat/contracts';

/**
 * The notification service's read model: its own view of rooms, members and message seqs (from
 * `message.events`), of users' subscriptions, webhooks, mutes, read marks and dead letters (from
 * `notification.events`), and of who is online (from presence). Adapters (SQLite embedded,
 * MongoDB in the fleet) pass the one suite in `conformance.ts`.
 */
export interface NotificationReadModel {
  /**
   * Applies what one event changes, together with its stream revision. An event at or below the
   * stream's applied revision was applied before: it is ignored and false returned. Every change
   * is itself idempotent, so an apply interrupted by a crash can run again in full.
   */
  apply(at: StreamRevision, changes: NotificationChange[]): Promise<boolean>;
  /** The stream's newest applied revision, or null before its first event. */
  appliedRevision(stream: string): Promise<number | null>;

  /** Members of a room that exists (not deleted); empty otherwise. */
  roomMembers(roomId: string): Promise<string[]>;
  isMember(roomId: string, userId: string): Promise<boolean>;
  /** Which of these users muted the room. */
  mutedAmong(roomId: string, userIds: readonly string[]): Promise<Set<string>>;
  subscriptionsOf(userId: string): Promise<StoredSubscription[]>;
  webhookOf(userId: string): Promise<{ url: string; secret: string } | null>;
  /** Per room the user is a member of: messages by others after max(read mark, join), newest seq. */
  unreadCounts(userId: string): Promise<UnreadCount[]>;
  deadLetters(userId: string): Promise<DeadLetter[]>;

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

export interface StoredSubscription extends PushSubscriptionView {
  user_id: string;
  keys: PushSubscriptionBody['keys'];
}

export type NotificationChange =
  | { kind: 'room_created'; room_id: string }
  | { kind: 'room_deleted'; room_id: string }
  | { kind: 'member_added'; room_id: string; user_id: string }
  | { kind: 'member_removed'; room_id: string; user_id: string }
  | { kind: 'message_posted'; room_id: string; seq: number; sender_id: string }
  | { kind: 'subscription_added'; subscription: StoredSubscription }
  | { kind: 'subscription_removed'; subscription_id: string }
  | { kind: 'webhook_set'; user_id: string; url: string; secret: string }
  | { kind: 'webhook_removed'; user_id: string }
  | { kind: 'room_muted'; user_id: string; room_id: string }
  | { kind: 'room_unmuted'; user_id: string; room_id: string }
  | { kind: 'read_marked'; user_id: string; room_id: string; seq: number }
  | { kind: 'dead_lettered'; user_id: string; dead_letter: DeadLetter };
