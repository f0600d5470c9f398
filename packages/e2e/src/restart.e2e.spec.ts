import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { signToken } from '@chat/runtime';
import {
  eventually,
  freePort,
  startProcess,
  TestSocket,
  waitForReady,
  type RunningProcess,
} from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, messagesIn, sendAndAck, TEST_SECRET } from './harness';
import { browserKeys, decryptPush, PushEndpoint } from './push-endpoint';

/**
 * A second push attempt a minute after the first: far beyond a restart's few seconds. The test's
 * push service runs on loopback, where pushes may go only when an operator allows it.
 */
const SLOW_RETRIES = {
  NOTIFICATION_RETRY_BASE_MS: '60000',
  NOTIFICATION_MAX_ATTEMPTS: '3',
  CHAT_NOTIFICATION__ALLOWED_HOSTS: '127.0.0.1',
};

describe('resume across a restart of the process', () => {
  let dataDir: string;
  let port: number;
  let server: RunningProcess;
  let push: PushEndpoint;
  const start = async () => {
    server = startProcess('services/embedded/src/main.ts', {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET_KEY: TEST_SECRET,
      LOG_LEVEL: 'warn',
      ...SLOW_RETRIES,
    });
    await waitForReady(`http://127.0.0.1:${port}/readyz`, server);
  };
  const api = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await signToken(TEST_SECRET, { userId: user })}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const connect = async (user: string) =>
    TestSocket.authenticated(`ws://127.0.0.1:${port}/ws`, await signToken(TEST_SECRET, { userId: user }));

  beforeAll(async () => {
    dataDir = mkdtempSync(joinPath(tmpdir(), 'chat-restart-'));
    port = await freePort();
    push = await PushEndpoint.start();
    await start();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await push?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps history and sequences, and resumes a client exactly, after SIGTERM and after kill -9', async () => {
    let writer = await connect('writer');
    for (let i = 1; i <= 5; i++) await sendAndAck(writer, 'general', `before ${i}`);
    writer.close();
    await server.stop('SIGTERM');
    await start();

    writer = await connect('writer');
    const reader = await connect('reader');
    await join(reader, 'general', 2);
    await reader.next((f) => f.type === 'message' && f.seq === 5, 10_000);
    const ack = await sendAndAck(writer, 'general', 'after restart');
    expect(ack.seq).toBe(6);
    await reader.next((f) => f.type === 'message' && f.seq === 6);
    expect(messagesIn(reader, 'general').map((m) => m.seq)).toEqual([3, 4, 5, 6]);
    writer.close();
    reader.close();

    await server.stop('SIGKILL');
    await start();
    const late = await connect('late');
    await join(late, 'general', 4);
    await late.next((f) => f.type === 'message' && f.seq === 6, 10_000);
    expect(messagesIn(late, 'general').map((m) => m.content)).toEqual(['before 5', 'after restart']);
    late.close();
  }, 90_000);

  it('resumes a push retry that was pending when the process stopped', async () => {
    const room = await api('pusher', 'POST', '/api/rooms', {
      name: 'retry',
      private: true,
      members: ['away'],
    });
    expect(room.status).toBe(201);
    const endpoint = push.url([500]);
    const browser = browserKeys();
    const subscribed = await api('away', 'POST', '/api/notifications/subscriptions', {
      endpoint,
      keys: browser.keys,
    });
    expect(subscribed.status).toBe(201);
    const sent = await api('pusher', 'POST', `/api/rooms/${String(room.body.room_id)}/messages`, {
      content: 'while you were out',
    });
    expect(sent.status).toBe(201);
    await eventually(() => expect(push.to(endpoint).map((each) => each.status)).toEqual([500]));

    await server.stop('SIGTERM');
    await start();
    await eventually(() => expect(push.to(endpoint).map((each) => each.status)).toEqual([500, 201]), 15_000);
    // The retry's payload came from the delivery's stream, where the preview is kept sealed.
    expect(decryptPush(push.to(endpoint)[1]!.body, browser)).toMatchObject({ preview: 'while you were out' });
  }, 60_000);
});
