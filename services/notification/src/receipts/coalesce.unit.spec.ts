import type { ReceiptAnnounced } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { coalesceReceipt, windowEnded, type ReceiptSlot } from './coalesce';

const read = (seq: number): ReceiptAnnounced => ({
  room_id: 'room-1',
  user_id: 'bob',
  seq,
  read_at: `2024-05-01T10:00:0${seq % 10}.000Z`,
});
const sent = (sentAt: number, sentSeq: number, pending: ReceiptAnnounced | null = null): ReceiptSlot => ({
  sentAt,
  sentSeq,
  pending,
});

describe('coalesceReceipt', () => {
  it('given nothing sent, when a read arrives, then it is sent at once', () => {
    expect(coalesceReceipt(undefined, read(3), 1_000)).toEqual({ slot: sent(1_000, 3), send: read(3) });
  });

  it('given a receipt sent within the second, when a newer read arrives, then it waits as the pending one', () => {
    expect(coalesceReceipt(sent(1_000, 3), read(4), 1_400)).toEqual({
      slot: sent(1_000, 3, read(4)),
      send: null,
    });
  });

  it('given a pending read, when a newer one arrives in the same second, then it replaces it', () => {
    expect(coalesceReceipt(sent(1_000, 3, read(4)), read(6), 1_500)).toEqual({
      slot: sent(1_000, 3, read(6)),
      send: null,
    });
  });

  it('never moves backwards: a seq not above what was sent or is pending is dropped', () => {
    expect(coalesceReceipt(sent(1_000, 5), read(5), 1_200).send).toBeNull();
    expect(coalesceReceipt(sent(1_000, 5, read(7)), read(6), 1_200)).toEqual({
      slot: sent(1_000, 5, read(7)),
      send: null,
    });
    expect(coalesceReceipt(sent(1_000, 5), read(4), 9_000)).toEqual({ slot: sent(1_000, 5), send: null });
  });

  it('given a receipt sent a second ago or more, when a newer read arrives, then it is sent at once', () => {
    expect(coalesceReceipt(sent(1_000, 3), read(4), 2_000)).toEqual({ slot: sent(2_000, 4), send: read(4) });
  });
});

describe('windowEnded', () => {
  it('sends the pending read, which opens the next window', () => {
    expect(windowEnded(sent(1_000, 3, read(6)), 2_000)).toEqual({ slot: sent(2_000, 6), send: read(6) });
  });

  it('with nothing pending, the slot is done', () => {
    expect(windowEnded(sent(1_000, 3), 2_000)).toEqual({ slot: null, send: null });
  });
});
