import type { DeliveryRef } from './delivery';

/** One web push delivery of one message, for the delivery decider's specifications. */
export const T0 = '2024-05-01T10:00:00.000Z';

export const ref: DeliveryRef = {
  delivery_id: 'dlv_1',
  user_id: 'bob',
  channel: 'web_push',
  target_id: 'sub_1',
  room_id: 'room-1',
  message_id: 'msg_1',
  seq: 7,
};

export const payload = {
  type: 'message' as const,
  room_id: 'room-1',
  message_id: 'msg_1',
  seq: 7,
  sender_id: 'ann',
  preview: 'hello',
  created_at: T0,
};
