import { describe, expect, it } from 'vitest';
import { receiptChanges } from './projection';

const T0 = '2024-05-01T10:00:00.000Z';
const readMarked = (receipt?: boolean) => ({
  type: 'ReadMarked',
  data: {
    user_id: 'bob',
    room_id: 'room-1',
    seq: 4,
    marked_at: T0,
    ...(receipt === undefined ? {} : { receipt }),
  },
});

describe('receiptChanges', () => {
  it('moves the receipt of a read shown to others, and of a read recorded before receipts existed', () => {
    const moved = [{ kind: 'receipt_marked', room_id: 'room-1', user_id: 'bob', seq: 4, read_at: T0 }];
    expect(receiptChanges(readMarked(true))).toEqual(moved);
    expect(receiptChanges(readMarked())).toEqual(moved);
  });

  it('shows nothing of a read by a user who turned receipts off', () => {
    expect(receiptChanges(readMarked(false))).toEqual([]);
  });

  it('hides all of a user’s receipts when they turn receipts off, and changes nothing when they turn them on', () => {
    const set = (read_receipts: boolean) => ({
      type: 'ReadReceiptsSet',
      data: { user_id: 'bob', read_receipts, set_at: T0 },
    });
    expect(receiptChanges(set(false))).toEqual([{ kind: 'receipts_hidden', user_id: 'bob' }]);
    expect(receiptChanges(set(true))).toEqual([]);
  });

  it('ignores the notification service’s other events', () => {
    expect(
      receiptChanges({ type: 'RoomMuted', data: { user_id: 'bob', room_id: 'room-1', muted_at: T0 } }),
    ).toEqual([]);
  });
});
