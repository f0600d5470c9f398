import type { EventRecord, NotificationServiceEvent } from '@chat/contracts';
import type { ReadModelChange } from '../read-model/port';

/**
 * What one of the notification service's events changes in what this service keeps for users'
 * exports: their push subscriptions (endpoints, not keys), webhook (URL, not secret) and mutes.
 */
export const accountChanges = (record: Pick<EventRecord, 'type' | 'data'>): ReadModelChange[] => {
  const event = { type: record.type, data: record.data } as NotificationServiceEvent;
  switch (event.type) {
    case 'PushSubscribed': {
      const { user_id, subscription_id, endpoint, subscribed_at } = event.data;
      return [{ kind: 'push_subscribed', user_id, subscription_id, endpoint, subscribed_at }];
    }
    case 'PushUnsubscribed': {
      const { user_id, subscription_id } = event.data;
      return [{ kind: 'push_unsubscribed', user_id, subscription_id }];
    }
    case 'WebhookRegistered': {
      const { user_id, url, registered_at } = event.data;
      return [{ kind: 'webhook_registered', user_id, url, registered_at }];
    }
    case 'WebhookRemoved':
      return [{ kind: 'webhook_removed', user_id: event.data.user_id }];
    case 'RoomMuted': {
      const { user_id, room_id, muted_at } = event.data;
      return [{ kind: 'room_muted', user_id, room_id, muted_at }];
    }
    case 'RoomUnmuted':
      return [{ kind: 'room_unmuted', user_id: event.data.user_id, room_id: event.data.room_id }];
    default:
      return [];
  }
};
