import type { ReceiptAnnounced, ServerFrameOf } from '@chat/contracts';
import type { GatewayContext } from '../context';

/**
 * A member's read receipt, already coalesced by the notification service, as a `receipt` frame to
 * the room's topic: the sockets that joined the room, the reader's own other devices included.
 */
export const deliverReceipt = (ctx: GatewayContext, announced: ReceiptAnnounced): void => {
  const { room_id, user_id, seq, read_at } = announced;
  const frame: ServerFrameOf<'receipt'> = { type: 'receipt', room_id, user_id, seq, read_at };
  ctx.fanout.publishToRoom(room_id, frame);
};
