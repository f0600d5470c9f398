import type { Socket } from 'node:net';
import { sendRawRequest } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmbeddedHarness } from './embedded';
import type { Harness } from './harness';

const NINE_MIB = 9 * 1024 * 1024;

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);

describe('the HTTP surface under hostile requests', () => {
  let h: Harness;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    h = await startEmbeddedHarness();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await h.stop();
  });

  it('refuses an upload to a forged signed URL before reading its body', async () => {
    const { socket, status } = sendRawRequest(
      h.apiUrl,
      `PUT /api/media/blobs/uploads/forged?expires=9999999999&size=${NINE_MIB}&signature=forged HTTP/1.1\n` +
        `Host: x\nContent-Type: application/octet-stream\nContent-Length: ${NINE_MIB}\n\n`,
    );
    sockets.push(socket);
    expect(await within(status, 2_000)).toMatch(/^HTTP\/1\.1 403/);
  });

  it('refuses a REST body whose declared length is over the route limit before reading it', async () => {
    const token = await h.token('mallory');
    const { socket, status } = sendRawRequest(
      h.apiUrl,
      `POST /api/rooms HTTP/1.1\nHost: x\nAuthorization: Bearer ${token}\n` +
        `Content-Type: application/json\nContent-Length: ${NINE_MIB}\n\n`,
    );
    sockets.push(socket);
    expect(await within(status, 2_000)).toMatch(/^HTTP\/1\.1 413/);
  });

  it('receives a bounded number of bodies at once, and answers the rest 503 at once', async () => {
    const token = await h.token('mallory');
    const pending = Array.from({ length: 40 }, () =>
      sendRawRequest(
        h.apiUrl,
        `POST /api/rooms HTTP/1.1\nHost: x\nAuthorization: Bearer ${token}\n` +
          `Content-Type: application/json\nContent-Length: 1000\n\n`,
      ),
    );
    sockets.push(...pending.map(({ socket }) => socket));
    const answered = await Promise.all(
      pending.map(({ status }) => within(status, 1_000).catch(() => 'waiting for its body')),
    );
    expect(answered.filter((line) => line.startsWith('HTTP/1.1 503'))).toHaveLength(8);
    expect(answered.filter((line) => line === 'waiting for its body')).toHaveLength(32);
  });
});

/** Opens a WebSocket as a browser page of `origin` would; resolves with the handshake's outcome. */
const openFrom = (url: string, origin: string) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => {
      resolve('open');
      ws.close();
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(`HTTP ${response.statusCode}`);
      ws.terminate();
    });
    ws.once('error', (error) => resolve(error.message));
  });

describe('the WebSocket upgrade', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEmbeddedHarness();
  });
  afterAll(() => h.stop());

  it('refuses pages of other origins, and lets its own origin and localhost pages in', async () => {
    const url = h.wsUrl;
    expect(await openFrom(url, 'https://evil.example')).toBe('HTTP 403');
    expect(await openFrom(url, new URL(h.apiUrl).origin)).toBe('open');
    expect(await openFrom(url, 'http://localhost:5173')).toBe('open');
  });

  it('admits other origins the operator allows', async () => {
    const allowing = await startEmbeddedHarness({
      CHAT_WEBSOCKET__ALLOWED_ORIGINS: 'https://app.example.com',
    });
    try {
      expect(await openFrom(allowing.wsUrl, 'https://app.example.com')).toBe('open');
      expect(await openFrom(allowing.wsUrl, 'https://evil.example')).toBe('HTTP 403');
    } finally {
      await allowing.stop();
    }
  });
});
