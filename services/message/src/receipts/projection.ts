import { Topics, type EventRecord, type NotificationEventOf } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import { accountChanges } from '../privacy/account-changes';
import type { MessageReadModel, ReadModelChange, ReadModelUpdate } from '../read-model/port';

/**
 * What one of the notification service's events changes in the receipts: a read shown to others
 * moves the user's receipt in the room; turning receipts off hides all of the user's.
 */
export const receiptChanges = (record: Pick<EventRecord, 'type' | 'data'>): ReadModelChange[] => {
  switch (record.type) {
    case 'ReadMarked': {
      const { room_id, user_id, seq, marked_at, receipt } =
        record.data as NotificationEventOf<'ReadMarked'>['data'];
      return receipt === false ? [] : [{ kind: 'receipt_marked', room_id, user_id, seq, read_at: marked_at }];
    }
    case 'ReadReceiptsSet': {
      const { user_id, read_receipts } = record.data as NotificationEventOf<'ReadReceiptsSet'>['data'];
      return read_receipts ? [] : [{ kind: 'receipts_hidden', user_id }];
    }
    default:
      return [];
  }
};

/**
 * Receipts, from `notification.events` (where read marks and the setting are decided, in the
 * users' streams), into this service's read model, which serves them beside the room's history;
 * and, from the same streams (one projection, so their revisions stay in order), what users set
 * up there, for their export. Only the events that change either are applied and recorded with
 * their revision.
 */
export const receiptsProjection = (readModel: MessageReadModel): Projection => ({
  name: 'message-receipts',
  topics: [Topics.notificationEvents],
  applyBatch: async (records: EventRecord[]) => {
    const updates: ReadModelUpdate[] = records.flatMap((record) => {
      const changes = [...receiptChanges(record), ...accountChanges(record)];
      return changes.length > 0
        ? [{ at: { stream: record.stream, revision: record.revision }, changes }]
        : [];
    });
    if (updates.length > 0) await readModel.applyBatch(updates);
  },
});
