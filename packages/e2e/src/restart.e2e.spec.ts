import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { signToken } from '@chat/runtime';
import { freePort, startProcess, TestSocket, waitForReady, type RunningProcess } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, messagesIn, sendAndAck, TEST_SECRET } from './harness';

describe('resume across a restart of the process', () => {
  let dataDir: string;
  let port: number;
  let server: RunningProcess;
  const start = async () => {
    server = startProcess('services/embedded/src/main.ts', {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET_KEY: TEST_SECRET,
      LOG_LEVEL: 'warn',
    });
    await waitForReady(`http://127.0.0.1:${port}/readyz`, server);
  };
  const connect = async (user: string) =>
    TestSocket.authenticated(`ws://127.0.0.1:${port}/ws`, await signToken(TEST_SECRET, { userId: user }));

  beforeAll(async () => {
    dataDir = mkdtempSync(joinPath(tmpdir(), 'chat-restart-'));
    port = await freePort();
    await start();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
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
});
