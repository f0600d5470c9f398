import type { PushSubscriptionBody, Rejection } from '@chat/contracts';

interface Context {
  actor_id: string;
  decided_at: string;
}

/** Commands on a user's stream; `context` carries what the application looked up and when. */
export type UserCommand =
  | { type: 'Subscribe'; data: PushSubscriptionBody & { subscription_id: string }; context: Context }
  | {
      type: 'Unsubscribe';
      data: { subscription_id: string; reason: 'unsubscribed' | 'gone' };
      context: Context;
    }
  | { type: 'RegisterWebhook'; data: { url: string; secret: string }; context: Context }
  | { type: 'RemoveWebhook'; data: Record<string, never>; context: Context }
  | { type: 'MuteRoom'; data: { room_id: string }; context: Context }
  | { type: 'UnmuteRoom'; data: { room_id: string }; context: Context }
  | {
      type: 'MarkRead';
      data: { room_id: string; seq: number };
      /**
       * `room_refusal`: why the user may not use the room — the one rule (`refuseNonMember`),
       * confirmed by the room access view — or null for a member. `last_seq`: the room's newest
       * message as the read model knows it (0: none).
       */
      context: Context & { room_refusal: Rejection | null; last_seq: number };
    }
  | { type: 'SetReadReceipts'; data: { read_receipts: boolean }; context: Context };

export type UserCommandOf<K extends UserCommand['type']> = Extract<UserCommand, { type: K }>;

/** A user keeps at most this many push subscriptions (browsers and devices). */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;
