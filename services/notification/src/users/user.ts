import type { NotificationServiceEvent, PushSubscriptionBody } from '@chat/contracts';

/** The user-stream events (`notify-user-<id>`): settings and read marks. */
export type UserEvent = Extract<
  NotificationServiceEvent,
  {
    type:
      | 'PushSubscribed'
      | 'PushUnsubscribed'
      | 'WebhookRegistered'
      | 'WebhookRemoved'
      | 'RoomMuted'
      | 'RoomUnmuted'
      | 'ReadMarked'
      | 'ReadReceiptsSet';
  }
>;

export interface UserState {
  /** Active Web Push subscriptions by id. */
  subscriptions: Readonly<Record<string, PushSubscriptionBody>>;
  webhook: { url: string; secret: string } | null;
  muted: ReadonlySet<string>;
  /** The newest seq read, per room. */
  readSeq: Readonly<Record<string, number>>;
  /** Whether the user's reads are shown to the rooms' other members. */
  readReceipts: boolean;
}

export const initialUserState: UserState = {
  subscriptions: {},
  webhook: null,
  muted: new Set(),
  readSeq: {},
  readReceipts: true,
};

const without = <T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const { [key]: _removed, ...rest } = record;
  return rest;
};

export const evolveUser = (state: UserState, event: UserEvent): UserState => {
  switch (event.type) {
    case 'PushSubscribed': {
      const { subscription_id, endpoint, keys } = event.data;
      return { ...state, subscriptions: { ...state.subscriptions, [subscription_id]: { endpoint, keys } } };
    }
    case 'PushUnsubscribed':
      return { ...state, subscriptions: without(state.subscriptions, event.data.subscription_id) };
    case 'WebhookRegistered':
      return { ...state, webhook: { url: event.data.url, secret: event.data.secret } };
    case 'WebhookRemoved':
      return { ...state, webhook: null };
    case 'RoomMuted':
      return { ...state, muted: new Set([...state.muted, event.data.room_id]) };
    case 'RoomUnmuted':
      return { ...state, muted: new Set([...state.muted].filter((room) => room !== event.data.room_id)) };
    case 'ReadMarked':
      return { ...state, readSeq: { ...state.readSeq, [event.data.room_id]: event.data.seq } };
    case 'ReadReceiptsSet':
      return { ...state, readReceipts: event.data.read_receipts };
  }
};
