import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHarness } from './embedded';
import { sendAndAck, type Harness } from './harness';

describe('operations endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEmbeddedHarness();
  });
  afterAll(() => h.stop());

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${h.apiUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${h.apiUrl}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('exposes Prometheus metrics for connections, frames, messages, errors and latencies', async () => {
    const socket = await h.connect('metrics-user');
    await sendAndAck(socket, 'general', 'measured');
    socket.send({ type: 'nope' });
    await socket.nextOfType('error');
    const text = await (await fetch(`${h.apiUrl}/metrics`)).text();
    expect(text).toMatch(/^chat_ws_connections 1$/m);
    expect(text).toMatch(/^chat_ws_frames_in_total\{type="send_message"\} 1$/m);
    expect(text).toMatch(/^chat_ws_errors_total\{code="unknown_type"\} 1$/m);
    expect(text).toMatch(/^chat_ack_seconds_count 1$/m);
    expect(text).toMatch(/^chat_command_batch_seconds_count \d+$/m);
    expect(text).toMatch(/^chat_commands_total\{type="SendMessage",outcome="accepted"\} \d+$/m);
    expect(text).toMatch(/^chat_delivery_seconds_count \d+$/m);
    socket.close();
  });

  it('serves the OpenAPI document generated from the contracts', async () => {
    const doc = (await (await fetch(`${h.apiUrl}/api-docs/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/rooms',
        '/api/rooms/{room_id}',
        '/api/rooms/{room_id}/messages',
        '/api/dms',
      ]),
    );
  });

  it('serves the AsyncAPI document of the WebSocket protocol, as committed in docs/', async () => {
    const response = await fetch(`${h.apiUrl}/api-docs/asyncapi.json`);
    expect(response.status).toBe(200);
    const committed = JSON.parse(
      readFileSync(new URL('../../../docs/asyncapi.json', import.meta.url), 'utf8'),
    );
    expect(await response.json()).toEqual(committed);
  });

  it('carries a correlation id on every response', async () => {
    const response = await fetch(`${h.apiUrl}/api/rooms`, { headers: { 'x-correlation-id': 'trace-me' } });
    expect(response.headers.get('x-correlation-id')).toBe('trace-me');
  });
});
