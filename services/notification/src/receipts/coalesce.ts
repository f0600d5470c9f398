import type { ReceiptAnnounced } from '@chat/contracts';

/** Receipts of one user in one room: at most one per this window. */
export const RECEIPT_WINDOW_MS = 1_000;

/** What was sent for one user and room, and the newest read waiting for the window to end. */
export interface ReceiptSlot {
  sentAt: number;
  sentSeq: number;
  pending: ReceiptAnnounced | null;
}

export interface Coalesced {
  slot: ReceiptSlot;
  /** The receipt to publish now, if any. */
  send: ReceiptAnnounced | null;
}

/**
 * A read arrives at `now`. Sent at once when the user's last receipt in the room is a window old
 * (or there is none); otherwise it waits as the pending one, replacing an older pending read. A
 * seq not above what was sent or is pending is dropped: receipts never move backwards.
 */
export const coalesceReceipt = (
  slot: ReceiptSlot | undefined,
  receipt: ReceiptAnnounced,
  now: number,
  windowMs = RECEIPT_WINDOW_MS,
): Coalesced => {
  if (!slot || now - slot.sentAt >= windowMs) {
    if (slot && receipt.seq <= slot.sentSeq) return { slot, send: null };
    return { slot: { sentAt: now, sentSeq: receipt.seq, pending: null }, send: receipt };
  }
  if (receipt.seq <= Math.max(slot.sentSeq, slot.pending?.seq ?? 0)) return { slot, send: null };
  return { slot: { ...slot, pending: receipt }, send: null };
};

/**
 * The window that began at `slot.sentAt` ended at `now`: the pending read, if any, is sent and
 * opens the next window; with none, the slot is done (null).
 */
export const windowEnded = (
  slot: ReceiptSlot,
  now: number,
): { slot: ReceiptSlot | null; send: ReceiptAnnounced | null } =>
  slot.pending
    ? { slot: { sentAt: now, sentSeq: slot.pending.seq, pending: null }, send: slot.pending }
    : { slot: null, send: null };
