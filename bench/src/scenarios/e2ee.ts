import { ChatClient } from '@chat/client';
import { EncryptedRooms } from '@chat/client/mls';
import WebSocket from 'ws';
import { LatencyHistogram, type LatencySummary } from '../measure/histogram';
import { cpuOf, ownCpuSeconds } from '../measure/proc';
import { progress } from '../print';
import { benchToken, type Target } from '../targets/target';

export interface E2eeConfig {
  /** Rooms of two, one sender and one reader each. */
  pairs: number;
  messagesPerPair: number;
  /** Messages per second over all pairs, paced. */
  rate: number;
  contentBytes: number;
  budgetSeconds: number;
}

export interface E2eeRun {
  messages: number;
  delivered: number;
  /** From the intended send time to the reader's `message` event (decrypted, for MLS). */
  send_to_delivery_ms: LatencySummary;
  /** The platform's CPU (every server process) per message delivered, in microseconds. */
  server_cpu_us_per_message: number;
  /** The generator's CPU per message: both SDK clients, encryption and decryption included. */
  client_cpu_us_per_message: number;
}

export interface E2eeResult {
  plain: E2eeRun;
  mls: E2eeRun;
}

/** A sender and a reader in one room, plain or end-to-end encrypted, as the SDK makes them. */
interface Pair {
  roomId: string;
  send(text: string): Promise<unknown>;
  onRead(listener: (text: string) => void): void;
  close(): void;
}

/** On the fleet the REST API is the edge's, not the gateway's origin. */
const clientOf = (target: Target, userId: string) =>
  new ChatClient({
    url: target.wsUrls[0]!,
    ...(target.apiUrl ? { apiUrl: target.apiUrl } : {}),
    token: () => benchToken(userId),
    WebSocket,
  });

const plainPair = async (target: Target, index: number): Promise<Pair> => {
  const [sender, reader] = [`plain-a${index}`, `plain-b${index}`].map((userId) => clientOf(target, userId));
  await Promise.all([sender!.connect(), reader!.connect()]);
  const { room_id: roomId } = await sender!.request<{ room_id: string }>('POST', '/api/rooms', {
    name: `plain ${index}`,
    private: true,
    members: [`plain-b${index}`],
  });
  await Promise.all([sender!.join(roomId), reader!.join(roomId)]);
  return {
    roomId,
    send: (text) => sender!.send(roomId, text),
    onRead: (listener) => reader!.on('message', (message) => listener(message.content)),
    close: () => [sender, reader].forEach((client) => client!.close()),
  };
};

const encryptedPair = async (target: Target, index: number): Promise<Pair> => {
  const clients = [`mls-a${index}`, `mls-b${index}`].map((userId) => clientOf(target, userId));
  const [sender, reader] = clients.map((client) => new EncryptedRooms(client, { keyPackages: 2 }));
  await Promise.all([sender!.start(), reader!.start()]);
  const joined = new Promise<void>((resolve) => reader!.on('joined', () => resolve()));
  const { room_id: roomId } = await sender!.createEncryptedRoom(`mls ${index}`, [`mls-b${index}`]);
  await joined;
  return {
    roomId,
    send: (text) => sender!.send(roomId, text),
    onRead: (listener) => reader!.on('message', (message) => listener(message.text)),
    close: () => clients.forEach((client) => client.close()),
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `messagesPerPair` through every pair, round-robin at `rate`, and waits for every delivery. */
const measure = async (target: Target, pairs: Pair[], config: E2eeConfig): Promise<E2eeRun> => {
  const histogram = new LatencyHistogram();
  const intended = new Map<string, number>();
  let delivered = 0;
  for (const pair of pairs) {
    pair.onRead((text) => {
      const sentAt = intended.get(text);
      if (sentAt === undefined) return;
      histogram.recordMs(performance.now() - sentAt);
      intended.delete(text);
      delivered++;
    });
  }
  const total = pairs.length * config.messagesPerPair;
  const padding = 'x'.repeat(Math.max(0, config.contentBytes - 16));
  const serverSecondsBefore = cpuOf(target.serverPids())();
  const clientSecondsBefore = ownCpuSeconds();
  const start = performance.now();
  const deadline = start + config.budgetSeconds * 1000;
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / config.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const text = `${n.toString().padStart(8, '0')} ${padding}`;
    intended.set(text, due);
    void pairs[n % pairs.length]!.send(text).catch(() => undefined);
  }
  while (delivered < total && performance.now() < deadline) await sleep(20);
  const perMessageUs = (seconds: number) => Math.round((seconds / Math.max(delivered, 1)) * 1e6);
  return {
    messages: total,
    delivered,
    send_to_delivery_ms: histogram.summary(),
    server_cpu_us_per_message: perMessageUs(cpuOf(target.serverPids())() - serverSecondsBefore),
    client_cpu_us_per_message: perMessageUs(ownCpuSeconds() - clientSecondsBefore),
  };
};

/**
 * The cost of end-to-end encryption on the message path: the same paced traffic through rooms of
 * two, once plain and once MLS-encrypted, each through the SDK.
 */
export const runE2ee = async (target: Target, config: E2eeConfig): Promise<E2eeResult> => {
  const run = async (kind: 'plain' | 'mls') => {
    progress(`${target.name}: ${config.pairs} ${kind} rooms of two, ${config.rate} msg/s`);
    const pairs = await Promise.all(
      Array.from({ length: config.pairs }, (_, index) =>
        kind === 'plain' ? plainPair(target, index) : encryptedPair(target, index),
      ),
    );
    try {
      return await measure(target, pairs, config);
    } finally {
      for (const pair of pairs) pair.close();
    }
  };
  return { plain: await run('plain'), mls: await run('mls') };
};
