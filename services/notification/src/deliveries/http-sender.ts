import { createHmac } from 'node:crypto';
import type { PushPayload } from '@chat/contracts';
import webPush from 'web-push';
import type { AttemptResult } from './decide';
import type { DeliverySender, DeliveryTarget } from './sender';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/** A push waits this long at the push service for an offline device: a day. */
const PUSH_TTL_SECONDS = 24 * 60 * 60;
const REQUEST_TIMEOUT_MS = 10_000;

/** The header a webhook's receiver checks: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = 'x-chat-signature';
export const signatureOf = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const post = async (
  url: string,
  init: { headers: Record<string, string>; body: Buffer | string },
  gone: (status: number) => boolean,
): Promise<AttemptResult> => {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true, status: response.status };
    return {
      ok: false,
      status: response.status,
      error: `HTTP ${response.status}`,
      gone: gone(response.status),
    };
  } catch (error) {
    return {
      ok: false,
      status: null,
      error: error instanceof Error ? error.message : String(error),
      gone: false,
    };
  }
};

/**
 * Sends over HTTP: Web Push (RFC 8030) with the payload encrypted as aes128gcm (RFC 8291) and a
 * VAPID (RFC 8292) Authorization header, built by `web-push`; and webhooks, a JSON POST signed
 * with HMAC-SHA256. A push service answering 404 or 410 says the subscription is gone.
 */
export const createHttpSender = (vapid: VapidKeys): DeliverySender => ({
  async send(target: DeliveryTarget, payload: PushPayload, deliveryId: string) {
    if (target.channel === 'web_push') {
      const request = webPush.generateRequestDetails(target.subscription, JSON.stringify(payload), {
        vapidDetails: vapid,
        TTL: PUSH_TTL_SECONDS,
        contentEncoding: 'aes128gcm',
        urgency: 'high',
      });
      return post(
        request.endpoint,
        { headers: request.headers as Record<string, string>, body: request.body },
        (status) => status === 404 || status === 410,
      );
    }
    const body = JSON.stringify({ ...payload, delivery_id: deliveryId });
    return post(
      target.url,
      {
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureOf(target.secret, body),
          'x-chat-delivery': deliveryId,
        },
        body,
      },
      () => false,
    );
  },
});
