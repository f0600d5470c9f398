import type { Bus } from '@chat/bus';
import { Topics, type ReceiptAnnounced } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import { coalesceReceipt, RECEIPT_WINDOW_MS, windowEnded, type ReceiptSlot } from './coalesce';

export interface ReceiptPublisher {
  /** A read mark shown to others was applied: announce it to the room, coalesced. */
  read(receipt: ReceiptAnnounced): Promise<void>;
  /** Sends what is pending and stops the timers. */
  stop(): Promise<void>;
}

/**
 * Publishes read receipts on `notification.receipts` (key: room id), at most one per user and room
 * a window (`coalesce.ts` decides; this holds the slots and the timers). Reads of a user arrive in
 * order from one consumer (`notification.events` is keyed by user), so one process holds a user's
 * slots. A pending receipt lost in a crash is a frame not sent: the receipt itself is in the
 * user's stream and in `GET /api/rooms/{room_id}/receipts`.
 */
export const createReceiptPublisher = (deps: {
  bus: Bus;
  logger: Logger;
  windowMs?: number;
}): ReceiptPublisher => {
  const windowMs = deps.windowMs ?? RECEIPT_WINDOW_MS;
  const slots = new Map<string, ReceiptSlot>();
  const timers = new Map<string, NodeJS.Timeout>();

  const publish = (receipt: ReceiptAnnounced) =>
    deps.bus.publish(Topics.notificationReceipts, [{ key: receipt.room_id, value: JSON.stringify(receipt) }]);

  const endWindowLater = (key: string, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(key);
      const slot = slots.get(key);
      if (!slot) return;
      // A read may have opened a new window since this timer was set (a late timer).
      const left = slot.sentAt + windowMs - Date.now();
      if (left > 0) return endWindowLater(key, left);
      const ended = windowEnded(slot, Date.now());
      if (!ended.slot) {
        slots.delete(key);
        return;
      }
      slots.set(key, ended.slot);
      endWindowLater(key, windowMs);
      if (ended.send) {
        publish(ended.send).catch((error: unknown) =>
          deps.logger.warn({ err: error, receipt: ended.send }, 'read receipt not published'),
        );
      }
    }, delayMs);
    timer.unref();
    timers.set(key, timer);
  };

  return {
    async read(receipt) {
      const key = JSON.stringify([receipt.room_id, receipt.user_id]);
      const { slot, send } = coalesceReceipt(slots.get(key), receipt, Date.now(), windowMs);
      slots.set(key, slot);
      if (!send) return;
      if (!timers.has(key)) endWindowLater(key, windowMs);
      await publish(send);
    },
    async stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      const pending = [...slots.values()].flatMap((slot) => (slot.pending ? [slot.pending] : []));
      slots.clear();
      for (const receipt of pending) await publish(receipt);
    },
  };
};
