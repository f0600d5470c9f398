import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { PushPayload } from '@chat/contracts';
import webPush from 'web-push';
import type { AttemptResult } from './decide';
import type { DestinationPolicy } from './destinations';
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

/**
 * What a failed attempt reports to the notification's owner (in dead letters): one text for every
 * failure, so that answers, refused connections and timeouts do not tell an address's open ports apart.
 */
export const DELIVERY_FAILED = 'delivery failed';

const failed = (status: number | null, gone = false): AttemptResult => ({
  ok: false,
  status,
  error: DELIVERY_FAILED,
  gone,
});

/**
 * One POST, to the address the policy checked: connections resolve through its lookup, a literal
 * IP host is checked before connecting, and a redirect is a failure (never followed).
 */
const post = (
  policy: DestinationPolicy,
  target: string,
  init: { headers: Record<string, string>; body: Buffer | string },
  gone: (status: number) => boolean,
): Promise<AttemptResult> => {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve(failed(null));
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host) !== 0;
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (literal && !policy.permits(host, host))) {
    return Promise.resolve(failed(null));
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        lookup: policy.lookup,
        agent: false,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.on('end', () =>
          resolve(status >= 200 && status < 300 ? { ok: true, status } : failed(status, gone(status))),
        );
        // A body cut short (or timed out) closes without ending; after an end the answer is already given.
        response.on('close', () => resolve(failed(status)));
      },
    );
    outgoing.on('error', () => resolve(failed(null)));
    outgoing.end(init.body);
  });
};

/**
 * Sends over HTTP: Web Push (RFC 8030) with the payload encrypted as aes128gcm (RFC 8291) and a
 * VAPID (RFC 8292) Authorization header, built by `web-push`; and webhooks, a JSON POST signed
 * with HMAC-SHA256. A push service answering 404 or 410 says the subscription is gone. Only to the
 * destinations `policy` permits.
 */
export const createHttpSender = (vapid: VapidKeys, policy: DestinationPolicy): DeliverySender => ({
  async send(target: DeliveryTarget, payload: PushPayload, deliveryId: string) {
    if (target.channel === 'web_push') {
      const request = webPush.generateRequestDetails(target.subscription, JSON.stringify(payload), {
        vapidDetails: vapid,
        TTL: PUSH_TTL_SECONDS,
        contentEncoding: 'aes128gcm',
        urgency: 'high',
      });
      return post(
        policy,
        request.endpoint,
        { headers: request.headers as Record<string, string>, body: request.body },
        (status) => status === 404 || status === 410,
      );
    }
    const body = JSON.stringify({ ...payload, delivery_id: deliveryId });
    return post(
      policy,
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
