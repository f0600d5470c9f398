import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatError } from './chat-error';
import { apiOriginOf, requestJson } from './rest';

describe('the REST origin beside a gateway', () => {
  it('is the WebSocket URL’s host over HTTP, or HTTPS for wss', () => {
    expect(apiOriginOf('ws://localhost:8000/ws')).toBe('http://localhost:8000');
    expect(apiOriginOf('wss://chat.example.com/ws')).toBe('https://chat.example.com');
  });
});

describe('a refused REST request', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
      response.end(JSON.stringify({ code: 'rate_limited', message: 'Slow down.', retry_after_ms: 1_500 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is a ChatError with the server’s code and its word on when to retry', async () => {
    const refused = await requestJson(origin, 'token', 'POST', '/api/rooms/general/messages', {}).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ChatError);
    expect(refused).toMatchObject({ code: 'rate_limited', message: 'Slow down.', retryAfterMs: 1_500 });
  });
});
