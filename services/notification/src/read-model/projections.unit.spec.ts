import type { EventRecord, ReceiptAnnounced } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import type { NotificationReadModel, NotificationUpdate } from './port';
import { notificationChanges, notificationProjection } from './projections';

const T0 = '2024-05-01T10:00:00.000Z';
const readMarked = (revision: number, seq: number, receipt?: boolean): EventRecord => ({
  event_id: `notify-user-bob#${revision}`,
  type: 'ReadMarked',
  stream: 'notify-user-bob',
  revision,
  data: {
    user_id: 'bob',
    room_id: 'room-1',
    seq,
    marked_at: T0,
    ...(receipt === undefined ? {} : { receipt }),
  },
  metadata: { correlation_id: 'c', causation_id: `command-${revision}`, actor_id: 'bob' },
  recorded_at: T0,
});

/** A read model that applies each stream revision once, as the real ones do. */
const readModelApplyingOnce = () => {
  const applied = new Map<string, number>();
  return {
    applyBatch: async (updates: NotificationUpdate[]) =>
      updates.map(({ at }) => {
        if ((applied.get(at.stream) ?? -1) >= at.revision) return false;
        applied.set(at.stream, at.revision);
        return true;
      }),
  } as unknown as NotificationReadModel;
};

describe('notificationProjection receipts', () => {
  it('hands on each fresh read shown to others, once, and none hidden by the user', async () => {
    const receipts: ReceiptAnnounced[] = [];
    const moved: string[] = [];
    const projection = notificationProjection(
      readModelApplyingOnce(),
      async (userId, roomId) => void moved.push(`${userId}@${roomId}`),
      async (receipt) => void receipts.push(receipt),
    );
    await projection.applyBatch([readMarked(0, 2, true), readMarked(1, 3)]);
    await projection.applyBatch([readMarked(1, 3), readMarked(2, 4, false)]);
    expect(receipts).toEqual([
      { room_id: 'room-1', user_id: 'bob', seq: 2, read_at: T0 },
      { room_id: 'room-1', user_id: 'bob', seq: 3, read_at: T0 },
    ]);
    // The hidden read still moved the user's own mark, so their unread count is told.
    expect(moved).toEqual(['bob@room-1', 'bob@room-1']);
  });
});

describe('notificationChanges of a delivery', () => {
  const ref = {
    delivery_id: 'dlv_1',
    user_id: 'bob',
    channel: 'webhook' as const,
    target_id: 'webhook',
    room_id: 'room-1',
    message_id: 'msg_1',
    seq: 7,
  };
  const payload = {
    type: 'message' as const,
    room_id: 'room-1',
    message_id: 'msg_1',
    seq: 7,
    sender_id: 'ann',
    preview: 'hi',
    created_at: T0,
  };

  it('keeps a requested delivery pending until it is delivered or abandoned', () => {
    const requested = { ...ref, requested_at: T0, payload };
    expect(notificationChanges({ type: 'DeliveryRequested', data: requested })).toEqual([
      { kind: 'delivery_pending', delivery: requested },
    ]);
    expect(
      notificationChanges({
        type: 'DeliverySucceeded',
        data: { ...ref, attempt: 2, status: 201, delivered_at: T0 },
      }),
    ).toEqual([{ kind: 'delivery_ended', delivery_id: 'dlv_1' }]);
    expect(
      notificationChanges({
        type: 'DeliveryAbandoned',
        data: { ...ref, attempts: 5, reason: 'attempts_exhausted', last_error: 'HTTP 500', abandoned_at: T0 },
      })[0],
    ).toEqual({ kind: 'delivery_ended', delivery_id: 'dlv_1' });
  });

  it('has nothing to resume a delivery requested before payloads were kept with', () => {
    expect(notificationChanges({ type: 'DeliveryRequested', data: { ...ref, requested_at: T0 } })).toEqual(
      [],
    );
  });
});
