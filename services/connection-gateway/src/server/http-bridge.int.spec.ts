import type { Socket } from 'node:net';
import { createAuthenticator, createHttpApp, createLogger, type HttpApp } from '@chat/runtime';
import uWS from 'uWebSockets.js';
import { sendRawRequest } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeHttp } from './http-bridge';

const BODY_TIMEOUT_MS = 300;

const post = (length: number) =>
  `POST /api/echo HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: ${length}\n\n`;

describe('the HTTP bridge receiving a body too slowly', () => {
  let http: HttpApp;
  let listening: uWS.us_listen_socket;
  let origin: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    http = await createHttpApp({
      title: 'test',
      logger: createLogger('http-bridge-test', 'silent'),
      authenticator: createAuthenticator({ secret: 'unit-secret-0123456789abcdef0123456789' }),
    });
    http.post('/api/echo', { config: { anonymous: true } }, async (request) => request.body);
    await http.ready();
    const app = uWS.App();
    bridgeHttp(app, http, { maxBytes: 1024, maxConcurrent: 1, timeoutMs: BODY_TIMEOUT_MS });
    listening = await new Promise((resolve, reject) =>
      app.listen('127.0.0.1', 0, (socket) => (socket ? resolve(socket) : reject(new Error('no port')))),
    );
    origin = `http://127.0.0.1:${uWS.us_socket_local_port(listening)}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    uWS.us_listen_socket_close(listening);
    await http.close();
  });

  it('answers 408 once the body timeout passes, and frees its place for the next body', async () => {
    const slow = sendRawRequest(origin, post(100), '{"half":');
    sockets.push(slow.socket);
    const meanwhile = sendRawRequest(origin, post(2), '{}');
    sockets.push(meanwhile.socket);
    expect(await meanwhile.status).toBe('HTTP/1.1 503 Service Unavailable');

    const started = Date.now();
    expect(await slow.status).toBe('HTTP/1.1 408 Request Timeout');
    expect(Date.now() - started).toBeLessThan(BODY_TIMEOUT_MS + 1_000);

    const next = sendRawRequest(origin, post(2), '{}');
    sockets.push(next.socket);
    expect(await next.status).toBe('HTTP/1.1 200 OK');
  });
});
