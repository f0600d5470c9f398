import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hostileFrameText } from '@chat/contracts/testing';
import { signToken } from '@chat/runtime';
import { freePort, startProcess, waitForReady, type RunningProcess } from '@chat/testkit';
import fc from 'fast-check';
import WebSocket from 'ws';
import { TEST_SECRET } from '../harness';

/**
 * A WebSocket fuzz run against the embedded platform as users run it (`pnpm start`, its own
 * process): many connections, authenticated or not, send random and mutated frames while a
 * legitimate pair of users chats in a private room. What must hold: the process neither crashes
 * nor leaves a rejection unhandled, its memory stays flat, and every message of the legitimate
 * sender is acknowledged and delivered, in order.
 */
export interface FuzzOptions {
  /** Frames to send in all, over every connection. */
  frames: number;
  /** Connections open at once. */
  connections: number;
  /** Frames a second per connection: under the gateway's per-connection limit, so frames are handled, not dropped. */
  framesPerSecond: number;
  /** Of the fuzzing connections, the share that authenticate first. */
  authenticatedShare: number;
  seed: number;
  log?: (line: string) => void;
}

/** How much the platform's resident memory may grow from warm-up to the last quarter: flat. */
export const FLAT_MEMORY_GROWTH_MIB = 64;

export interface FuzzReport {
  framesSent: number;
  seconds: number;
  connectionsOpened: number;
  /** Close codes the server gave fuzzing connections, with how often. */
  closes: Record<string, number>;
  /** Server answers to fuzzing connections by frame type (errors by code). */
  answers: Record<string, number>;
  legitimate: {
    sent: number;
    acknowledged: number;
    /** Sends answered with an error first (e.g. `timeout` on an overloaded machine), then retried as a client does. */
    retried: Record<string, number>;
    delivered: number;
    inOrder: boolean;
  };
  /** Resident memory of the platform process, MiB: the lowest of the third and of the last quarter. */
  memory: { warmMiB: number; lastQuarterMiB: number; samples: number[] };
  /** Set when the platform process ended during the run: its exit code or signal, and its output's tail. */
  crashed: string | null;
  /** Error and fatal lines the platform logged: a frame it failed to handle rather than refused. */
  errorLogs: string[];
}

/** pino's levels: 50 error, 60 fatal. */
const ERROR_LINE = /"level":(50|60)\b/;

const FUZZ_USERS = 40;
/** Public rooms made for the fuzzers to join, besides `general`. */
const PUBLIC_ROOMS = 2;
/** Messages a minute the legitimate sender keeps to: under the per-user limit. */
const LEGIT_INTERVAL_MS = 1_250;

const residentMiB = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
};

const count = (tally: Record<string, number>, key: string) => {
  tally[key] = (tally[key] ?? 0) + 1;
};

const floorOf = (values: number[]) => (values.length > 0 ? Math.min(...values) : 0);

const opened = (url: string): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });

const api = async (origin: string, token: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** A socket whose frames are handed to `onFrame` as parsed JSON. */
const authenticatedSocket = async (
  url: string,
  token: string,
  onFrame: (frame: Record<string, unknown>) => void,
) => {
  const socket = await opened(url);
  const ready = new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (frame.type === 'authenticated') resolve();
      if (frame.type === 'error' && frame.code === 'invalid_token') reject(new Error('not authenticated'));
      onFrame(frame);
    });
  });
  socket.send(JSON.stringify({ type: 'authenticate', token }));
  await ready;
  return socket;
};

export const runWebSocketFuzz = async (options: FuzzOptions): Promise<FuzzReport> => {
  const log = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-fuzz-'));
  const port = await freePort();
  const platform: RunningProcess = startProcess('services/embedded/src/main.ts', {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET_KEY: TEST_SECRET,
    LOG_LEVEL: 'warn',
  });
  const errorLogs: string[] = [];
  for (const stream of [platform.child.stdout!, platform.child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (ERROR_LINE.test(line) && errorLogs.length < 100) errorLogs.push(line);
    });
  }
  let crashed: string | null = null;
  platform.child.once('exit', (code, signal) => {
    crashed = `exit ${code ?? signal}:\n${platform.output().slice(-4_000)}`;
  });
  const origin = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}/ws`;
  const sockets = new Set<WebSocket>();
  try {
    await waitForReady(`${origin}/readyz`, platform, 60_000);
    const token = (userId: string) => signToken(TEST_SECRET, { userId });

    // The legitimate pair, in a private room the fuzzers cannot see.
    const [aliceToken, bobToken] = await Promise.all([token('legit-alice'), token('legit-bob')]);
    const created = await api(origin, aliceToken, 'POST', '/api/rooms', {
      name: 'legit',
      private: true,
      members: ['legit-bob'],
    });
    const legitRoom = String(created.body.room_id);
    const acked = new Set<string>();
    /** The error code a send was answered with, by client_msg_id. */
    const refused = new Map<string, string>();
    const deliveredSeqs: number[] = [];
    const alice = await authenticatedSocket(wsUrl, aliceToken, (frame) => {
      if (frame.type === 'ack') acked.add(String(frame.client_msg_id));
      if (frame.type === 'error' && typeof frame.ref === 'string' && frame.ref.startsWith('legit-')) {
        refused.set(frame.ref, String(frame.code));
      }
    });
    const bob = await authenticatedSocket(wsUrl, bobToken, (frame) => {
      if (frame.type === 'message' && frame.room_id === legitRoom) deliveredSeqs.push(Number(frame.seq));
    });
    sockets.add(alice).add(bob);
    const sendLegit = (n: number) =>
      alice.send(
        JSON.stringify({
          type: 'send_message',
          room_id: legitRoom,
          content: `legit ${n}`,
          client_msg_id: `legit-${n}`,
        }),
      );

    for (const socket of [alice, bob]) socket.send(JSON.stringify({ type: 'join_room', room_id: legitRoom }));

    // Rooms and messages for the fuzzers' frames to aim at, besides random ids.
    const fuzzTokens = await Promise.all(Array.from({ length: FUZZ_USERS }, (_, i) => token(`fuzz-${i}`)));
    const rooms = ['general', legitRoom];
    for (let i = 0; i < PUBLIC_ROOMS; i++) {
      const room = await api(origin, fuzzTokens[0]!, 'POST', '/api/rooms', { name: `fuzz ${i}` });
      rooms.push(String(room.body.room_id));
    }
    const knownMessageIds: string[] = [];
    const frames = hostileFrameText({
      roomId: fc.oneof(fc.constantFrom(...rooms), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)),
      messageId: fc.oneof(
        fc.nat().map((i) => knownMessageIds[i % Math.max(1, knownMessageIds.length)] ?? 'msg_unknown'),
        fc.string({ minLength: 1, maxLength: 64 }),
      ),
    });
    let seed = options.seed;
    let pool: string[] = [];
    const nextFrame = (): string => {
      if (pool.length === 0) pool = fc.sample(frames, { numRuns: 1_000, seed: seed++ });
      return pool.pop()!;
    };

    const report: FuzzReport = {
      framesSent: 0,
      seconds: 0,
      connectionsOpened: 0,
      closes: {},
      answers: {},
      legitimate: { sent: 0, acknowledged: 0, retried: {}, delivered: 0, inOrder: true },
      memory: { warmMiB: 0, lastQuarterMiB: 0, samples: [] },
      crashed: null,
      errorLogs: [],
    };
    const started = Date.now();
    const done = () => report.framesSent >= options.frames || crashed !== null;

    const fuzzConnection = async (slot: number): Promise<void> => {
      let turn = 0;
      while (!done()) {
        turn += 1;
        const authenticate = ((slot * 7919 + turn) % 100) / 100 < options.authenticatedShare;
        let socket: WebSocket;
        try {
          socket = await opened(wsUrl);
        } catch {
          count(report.closes, 'refused');
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        report.connectionsOpened += 1;
        sockets.add(socket);
        socket.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as Record<string, unknown>;
          count(report.answers, frame.type === 'error' ? `error:${String(frame.code)}` : String(frame.type));
          if (
            frame.type === 'message' &&
            typeof frame.message_id === 'string' &&
            knownMessageIds.length < 1_000
          ) {
            knownMessageIds.push(frame.message_id);
          }
        });
        const closed = new Promise<void>((resolve) =>
          socket.once('close', (code) => {
            count(report.closes, String(code));
            resolve();
          }),
        );
        socket.on('error', () => undefined);
        if (authenticate)
          socket.send(JSON.stringify({ type: 'authenticate', token: fuzzTokens[slot % FUZZ_USERS] }));
        const sending = setInterval(() => {
          if (done() || socket.readyState !== WebSocket.OPEN) return;
          socket.send(nextFrame());
          report.framesSent += 1;
        }, 1_000 / options.framesPerSecond);
        // A connection lives a few seconds, so connecting and authenticating are fuzzed too.
        const lifetime = setTimeout(() => socket.close(), 2_000 + (slot % 10) * 500);
        await Promise.race([
          closed,
          new Promise<void>((resolve) => {
            const check = setInterval(() => {
              if (done()) {
                clearInterval(check);
                resolve();
              }
            }, 200);
            void closed.then(() => clearInterval(check));
          }),
        ]);
        clearInterval(sending);
        clearTimeout(lifetime);
        socket.terminate();
        sockets.delete(socket);
      }
    };

    const legitSending = setInterval(() => {
      if (done()) return;
      report.legitimate.sent += 1;
      sendLegit(report.legitimate.sent);
    }, LEGIT_INTERVAL_MS);
    const sampling = setInterval(() => {
      if (crashed === null) report.memory.samples.push(residentMiB(platform.child.pid!));
    }, 1_000);
    const progress = setInterval(
      () => log(`fuzz: ${report.framesSent} frames, ${report.connectionsOpened} connections`),
      10_000,
    );

    await Promise.all(Array.from({ length: options.connections }, (_, slot) => fuzzConnection(slot)));
    clearInterval(legitSending);
    clearInterval(sampling);
    clearInterval(progress);
    report.seconds = Math.round((Date.now() - started) / 1000);

    // Everything the legitimate sender sent is acknowledged and delivered, however long the fuzz
    // ran. A send answered with an error is retried with its client_msg_id, as a client does: a
    // repeat is answered with the original outcome, never stored twice.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (let n = 1; n <= report.legitimate.sent; n++) {
      if (acked.has(`legit-${n}`)) continue;
      count(report.legitimate.retried, refused.get(`legit-${n}`) ?? 'no answer');
      await new Promise((resolve) => setTimeout(resolve, LEGIT_INTERVAL_MS));
      sendLegit(n);
    }
    const deadline = Date.now() + 15_000;
    while (
      crashed === null &&
      Date.now() < deadline &&
      (acked.size < report.legitimate.sent || deliveredSeqs.length < report.legitimate.sent)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    report.legitimate.acknowledged = acked.size;
    report.legitimate.delivered = deliveredSeqs.length;
    report.legitimate.inOrder = deliveredSeqs.every((seq, i) => seq === i + 1);

    const samples = report.memory.samples;
    const quarter = Math.max(1, Math.floor(samples.length / 4));
    // The floor of each window: what a leak raises is what stays after collections, while a
    // collection put off (common when other processes share the cores) raises only the peaks.
    // Warm is the third quarter: until about half a 100,000-frame run the caches the fuzz fills
    // (rooms, users, keys) are still filling to their bounds (seed 345754: 200 → 280 MiB, then
    // level over 250,000 frames).
    report.memory.warmMiB = floorOf(samples.slice(2 * quarter, 3 * quarter));
    report.memory.lastQuarterMiB = floorOf(samples.slice(-quarter));
    report.crashed = crashed;
    report.errorLogs = errorLogs;
    return report;
  } finally {
    for (const socket of sockets) socket.terminate();
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
