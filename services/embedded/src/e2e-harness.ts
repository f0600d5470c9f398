import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { createLogger, signToken, type TokenClaims } from '@chat/runtime';
import { TestSocket } from '@chat/testkit';
import { startEmbedded, type EmbeddedApp } from './app';

export const TEST_SECRET = 'e2e-secret-0123456789abcdef0123456789';

/** The suites assert on the JSON they expect, so the body stays loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiResponse = { status: number; body: any };

export interface Harness {
  app: EmbeddedApp;
  dataDir: string;
  wsUrl: string;
  baseUrl: string;
  token(userId: string, claims?: Omit<TokenClaims, 'userId'>): Promise<string>;
  connect(userId: string): Promise<TestSocket>;
  api(userId: string | null, method: string, path: string, body?: unknown): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/** Boots the embedded app on a random port with its own data directory. */
export const startHarness = async (env: Record<string, string> = {}): Promise<Harness> => {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'chat-e2e-'));
  const app = await startEmbedded({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    env: { ...process.env, JWT_SECRET_KEY: TEST_SECRET, ...env },
    logger: createLogger('e2e', process.env.LOG_LEVEL ?? 'silent'),
  });
  return harnessFor(app, dataDir);
};

export const harnessFor = (app: EmbeddedApp, dataDir: string): Harness => {
  const baseUrl = `http://127.0.0.1:${app.port}`;
  const wsUrl = `ws://127.0.0.1:${app.port}/ws`;
  const token = (userId: string, claims: Omit<TokenClaims, 'userId'> = {}) =>
    signToken(TEST_SECRET, { userId, ...claims });
  return {
    app,
    dataDir,
    wsUrl,
    baseUrl,
    token,
    connect: async (userId) => TestSocket.authenticated(wsUrl, await token(userId)),
    async api(userId, method, path, body) {
      const headers: Record<string, string> = {};
      if (userId) headers.authorization = `Bearer ${await token(userId)}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Joins a room and waits for `room_joined`. */
export const join = async (socket: TestSocket, roomId: string, lastSeq?: number) => {
  const joined = socket.nextOfType('room_joined', 5_000, (frame) => frame.room_id === roomId);
  socket.send({
    type: 'join_room',
    room_id: roomId,
    ...(lastSeq === undefined ? {} : { last_seq: lastSeq }),
  });
  return joined;
};

/** Sends a message and waits for its ack. */
export const sendAndAck = async (
  socket: TestSocket,
  roomId: string,
  content: string,
  clientMsgId: string = crypto.randomUUID(),
) => {
  const ack = socket.nextOfType('ack', 5_000, (frame) => frame.client_msg_id === clientMsgId);
  socket.send({
    type: 'send_message',
    room_id: roomId,
    content,
    message_type: 'text',
    client_msg_id: clientMsgId,
  });
  return ack;
};
