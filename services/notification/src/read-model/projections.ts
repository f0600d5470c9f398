import {
  Topics,
  type EventRecord,
  type NotificationEventOf,
  type NotificationServiceEvent,
  type ReceiptAnnounced,
  type UserErased,
} from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import type { ContentCipher } from '@chat/privacy';
import type { NotificationChange, NotificationReadModel, NotificationUpdate } from './port';

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
    case 'DeliveryRequested': {
      const { payload, ...requested } = event.data;
      // Requested before payloads were kept: nothing to resume it with.
      return payload ? [{ kind: 'delivery_pending', delivery: { ...requested, payload } }] : [];
    }
    case 'DeliverySucceeded':
      return [{ kind: 'delivery_ended', delivery_id: event.data.delivery_id }];
    case 'DeliveryAbandoned': {
      const { user_id, attempts, reason, last_error, abandoned_at, ...ref } = event.data;
      const { delivery_id, channel, target_id, room_id, message_id, seq } = ref;
      return [
        { kind: 'delivery_ended', delivery_id },
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
 * Subscriptions, webhooks, mutes, read marks, pending deliveries and dead letters, from `notification.events`, a batch
 * at a time. Once the read model shows the batch, each user and room whose read mark it moved for
 * the first time (not a redelivery) is passed to `onReadMarkMoved`, once; and each such read the
 * user lets others see, in order, to `onReceipt`.
 */
export const notificationProjection = (
  readModel: NotificationReadModel,
  onReadMarkMoved: (userId: string, roomId: string) => Promise<void> = async () => {},
  onReceipt: (receipt: ReceiptAnnounced) => Promise<void> = async () => {},
): Projection => ({
  name: 'notification-read-model',
  topics: [Topics.notificationEvents],
  applyBatch: async (records: EventRecord[]) => {
    const relevant = relevantOf(records);
    if (relevant.length === 0) return;
    const applied = await readModel.applyBatch(relevant.map(({ update }) => update));
    const fresh = relevant.filter((_, index) => applied[index]);
    for (const { record } of fresh) {
      if (record.type !== 'ReadMarked') continue;
      const { user_id, room_id, seq, marked_at, receipt } =
        record.data as NotificationEventOf<'ReadMarked'>['data'];
      if (receipt !== false) await onReceipt({ room_id, user_id, seq, read_at: marked_at });
    }
    const freshMarks = fresh.flatMap(({ update }) =>
      update.changes.flatMap((change) => (change.kind === 'read_marked' ? [change] : [])),
    );
    // Once per user and room: the count is read after the whole batch.
    const moved = new Map(freshMarks.map((mark) => [JSON.stringify([mark.user_id, mark.room_id]), mark]));
    for (const { user_id, room_id } of moved.values()) await onReadMarkMoved(user_id, room_id);
  },
});

/**
 * The records that change something here, with their changes at their stream revisions: the
 * others (a delivery's failed attempts) are neither written nor recorded.
 */
const relevantOf = (records: EventRecord[]): { record: EventRecord; update: NotificationUpdate }[] =>
  records.flatMap((record) => {
    const changes = changesOf(record);
    return changes.length > 0
      ? [{ record, update: { at: { stream: record.stream, revision: record.revision }, changes } }]
      : [];
  });

const changesOf = (record: EventRecord): NotificationChange[] =>
  notificationChanges({ type: record.type, data: record.data } as NotificationServiceEvent);

/**
 * Forgets each erased user, from the compacted `user.erasures`: it keeps every erasure, so a read
 * model rebuilt later forgets them again.
 */
export const erasureProjection = (
  readModel: NotificationReadModel,
  cipher: Pick<ContentCipher, 'forget'>,
): Projection => ({
  name: 'notification-erasures',
  topics: [Topics.userErasures],
  applyBatch: async (records: EventRecord[]) => {
    // Their keys are destroyed: stop opening their content from this process's cache at once.
    for (const record of records) cipher.forget({ user_id: (record.data as UserErased).user_id });
    await readModel.applyBatch(
      records.map((record) => ({
        at: { stream: record.stream, revision: record.revision },
        changes: [{ kind: 'user_erased', user_id: (record.data as UserErased).user_id }],
      })),
    );
  },
});
