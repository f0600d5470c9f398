import type { PushPayload, PushSubscriptionBody } from '@chat/contracts';
import type { AttemptResult } from './decide';

/** Where one delivery goes. */
export type DeliveryTarget =
  | { channel: 'web_push'; target_id: string; subscription: PushSubscriptionBody }
  | { channel: 'webhook'; target_id: 'webhook'; url: string; secret: string };

/** The port that sends: Web Push and webhooks in production, the same in tests (real HTTP). */
export interface DeliverySender {
  send(target: DeliveryTarget, payload: PushPayload, deliveryId: string): Promise<AttemptResult>;
}
