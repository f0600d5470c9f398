import {
  Topics,
  type EventRecord,
  type MessageServiceEvent,
  type NotificationServiceEvent,
} from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import type { NotificationChange, NotificationReadModel } from './port';

/** What a message-service event changes in this service's view of rooms. */
export const roomChanges = (event: MessageServiceEvent): NotificationChange[] => {
  switch (event.type) {
    case 'RoomCreated':
      return [{ kind: 'room_created', room_id: event.data.room_id }];
    case 'RoomDeleted':
      return [{ kind: 'room_deleted', room_id: event.data.room_id }];
    case 'MemberJoined':
      return [{ kind: 'member_added', room_id: event.data.room_id, user_id: event.data.user_id }];
    case 'MemberLeft':
      return [{ kind: 'member_removed', room_id: event.data.room_id, user_id: event.data.user_id }];
    case 'MessageSent': {
      const { room_id, seq, sender_id } = event.data;
      return [{ kind: 'message_posted', room_id, seq, sender_id }];
    }
    default:
      return [];
  }
};

/** What one of this service's own events changes in its read model. */
export const notificationChanges = (event: NotificationServiceEvent): NotificationChange[] => {
  switch (event.type) {
    case 'PushSubscribed': {
      const { user_id, subscription_id, endpoint, keys, subscribed_at } = event.data;
      return [
        {
          kind: 'subscription_added',
          subscription: { subscription_id, user_id, endpoint, keys, created_at: subscribed_at },
        },
      ];
    }
    case 'PushUnsubscribed':
      return [{ kind: 'subscription_removed', subscription_id: event.data.subscription_id }];
    case 'WebhookRegistered':
      return [
        { kind: 'webhook_set', user_id: event.data.user_id, url: event.data.url, secret: event.data.secret },
      ];
    case 'WebhookRemoved':
      return [{ kind: 'webhook_removed', user_id: event.data.user_id }];
    case 'RoomMuted':
      return [{ kind: 'room_muted', user_id: event.data.user_id, room_id: event.data.room_id }];
    case 'RoomUnmuted':
      return [{ kind: 'room_unmuted', user_id: event.data.user_id, room_id: event.data.room_id }];
    case 'ReadMarked': {
      const { user_id, room_id, seq } = event.data;
      return [{ kind: 'read_marked', user_id, room_id, seq }];
    }
    case 'DeliveryAbandoned': {
      const { user_id, attempts, reason, last_error, abandoned_at, ...ref } = event.data;
      const { delivery_id, channel, target_id, room_id, message_id, seq } = ref;
      return [
        {
          kind: 'dead_lettered',
          user_id,
          dead_letter: {
            delivery_id,
            channel,
            target_id,
            room_id,
            message_id,
            seq,
            attempts,
            reason,
            last_error,
            abandoned_at,
          },
        },
      ];
    }
    default:
      return [];
  }
};

/**
 * Subscriptions, webhooks, mutes, read marks and dead letters, from `notification.events`. A read
 * mark applied for the first time (not a redelivery) is passed to `onReadMarkMoved` once the read
 * model shows it.
 */
export const notificationProjection = (
  readModel: NotificationReadModel,
  onReadMarkMoved: (userId: string, roomId: string) => Promise<void> = async () => {},
): Projection => ({
  name: 'notification-read-model',
  topics: [Topics.notificationEvents],
  applyBatch: async (records: EventRecord[]) => {
    for (const record of records) {
      await (async () => {
        const changes = notificationChanges({
          type: record.type,
          data: record.data,
        } as NotificationServiceEvent);
        if (changes.length === 0) return;
        const applied = await readModel.apply({ stream: record.stream, revision: record.revision }, changes);
        if (!applied) return;
        for (const change of changes) {
          if (change.kind === 'read_marked') await onReadMarkMoved(change.user_id, change.room_id);
        }
      })();
    }
  },
});
