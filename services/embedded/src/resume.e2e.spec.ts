import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { freePort, startProcess, TestSocket, waitForReady, type RunningProcess } from '@chat/testkit';
import { signToken } from '@chat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, sendAndAck, startHarness, TEST_SECRET, type Harness } from './e2e-harness';

const messagesIn = (socket: TestSocket, roomId: string, from = 0) =>
  socket.frames
    .slice(from)
    .flatMap((frame) => (frame.type === 'message' && frame.room_id === roomId ? [frame] : []));

describe('resume after a reconnect', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '1000' });
  });
  afterAll(() => h.stop());

  it('delivers exactly the missed messages in order, then the live stream', async () => {
    const room = await h.api('writer', 'POST', '/api/rooms', { name: 'resume', members: ['reader'] });
    const roomId = room.body.room_id as string;
    const writer = await h.connect('writer');
    let reader = await h.connect('reader');
    await join(writer, roomId);
    await join(reader, roomId);
    for (let i = 1; i <= 3; i++) await sendAndAck(writer, roomId, `seen ${i}`);
    await reader.next((f) => f.type === 'message' && f.content === 'seen 3');
    const lastSeen = Math.max(...messagesIn(reader, roomId).map((m) => m.seq));
    expect(lastSeen).toBe(3);
    reader.close();
    await reader.waitForClose();

    for (let i = 1; i <= 20; i++) await sendAndAck(writer, roomId, `missed ${i}`);
    reader = await h.connect('reader');
    const joined = await join(reader, roomId, lastSeen);
    expect(joined.last_seq).toBe(23);
    // Live messages sent while the resume is in flight must neither be lost nor doubled.
    const live = Array.from({ length: 10 }, (_, i) => sendAndAck(writer, roomId, `live ${i + 1}`));
    await Promise.all(live);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const received = messagesIn(reader, roomId);
    expect(received.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 4));
    expect(received.slice(0, 20).map((m) => m.content)).toEqual(
      Array.from({ length: 20 }, (_, i) => `missed ${i + 1}`),
    );
    writer.close();
    reader.close();
  });

  it('resumes from 0 with the whole history and refuses a non-member', async () => {
    const room = await h.api('sol', 'POST', '/api/rooms', { name: 'from-zero', private: true });
    const roomId = room.body.room_id as string;
    const sol = await h.connect('sol');
    for (let i = 1; i <= 5; i++) await sendAndAck(sol, roomId, `h${i}`);
    sol.close();
    const again = await h.connect('sol');
    await join(again, roomId, 0);
    await again.next((f) => f.type === 'message' && f.room_id === roomId && f.seq === 5);
    expect(messagesIn(again, roomId).map((m) => m.content)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
    const outsider = await h.connect('outsider');
    outsider.send({ type: 'join_room', room_id: roomId, last_seq: 0 });
    expect(await outsider.nextOfType('error')).toMatchObject({ code: 'room_not_found' });
    expect(messagesIn(outsider, roomId)).toEqual([]);
    again.close();
    outsider.close();
  });
});

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
