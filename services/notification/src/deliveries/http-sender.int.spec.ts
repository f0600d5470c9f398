import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PushPayload } from '@chat/contracts';
import webPush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationPolicy } from './destinations';
import { createHttpSender, DELIVERY_FAILED } from './http-sender';

const payload: PushPayload = {
  type: 'message',
  room_id: 'general',
  message_id: 'msg_1',
  seq: 1,
  sender_id: 'alice',
  preview: 'hello',
  created_at: new Date().toISOString(),
};
const vapid = { ...webPush.generateVAPIDKeys(), subject: 'mailto:test@localhost' };

/** A webhook receiver on 127.0.0.1: `/ok` answers 204, `/teapot` 418, `/moved` redirects to `/ok`. */
describe('the HTTP sender sends only where the policy permits', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(request.url ?? '');
      request.resume();
      if (request.url === '/moved') response.writeHead(307, { location: '/ok' }).end();
      else response.writeHead(request.url === '/teapot' ? 418 : 204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const webhook = (url: string) => ({
    channel: 'webhook' as const,
    target_id: 'webhook' as const,
    url,
    secret: 's',
  });
  const sendTo = (allowed: string, url: string) =>
    createHttpSender(vapid, destinationPolicy(allowed)).send(webhook(url), payload, 'dlv_1');

  it('delivers to an address the operator allows', async () => {
    expect(await sendTo('127.0.0.1', `http://127.0.0.1:${port}/ok`)).toEqual({ ok: true, status: 204 });
  });

  it('never connects to a loopback address, literal or resolved (a rebinding host)', async () => {
    received.length = 0;
    expect(await sendTo('', `http://127.0.0.1:${port}/ok`)).toMatchObject({
      ok: false,
      error: DELIVERY_FAILED,
    });
    expect(await sendTo('', `http://localhost:${port}/ok`)).toMatchObject({
      ok: false,
      error: DELIVERY_FAILED,
    });
    expect(await sendTo('', `http://2130706433:${port}/ok`)).toMatchObject({
      ok: false,
      error: DELIVERY_FAILED,
    });
    expect(received).toEqual([]);
  });

  it('does not follow a redirect', async () => {
    received.length = 0;
    expect(await sendTo('127.0.0.1', `http://127.0.0.1:${port}/moved`)).toMatchObject({
      ok: false,
      status: 307,
      error: DELIVERY_FAILED,
    });
    expect(received).toEqual(['/moved']);
  });

  it('reports an answer and a closed port alike, so failures do not map ports', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const answered = await sendTo('127.0.0.1', `http://127.0.0.1:${port}/teapot`);
    const refused = await sendTo('127.0.0.1', `http://127.0.0.1:${closedPort}/`);
    expect(answered).toMatchObject({ ok: false, status: 418 });
    expect(refused).toMatchObject({ ok: false, status: null });
    expect(answered.ok === false && answered.error).toBe(refused.ok === false && refused.error);
  });
});
