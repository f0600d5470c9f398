import { ChatClient } from '@chat/client';
import { SignJWT } from 'jose';
import WebSocket from 'ws';

export interface LoadOptions {
  url: string;
  /** Signs one token per simulated user (HS256, as `JWT_SECRET_KEY` configures the platform). */
  secret: string;
  /** The REST API's origin, where the run creates its room. */
  apiUrl: string;
  clients: number;
  /** Messages each client sends, one at a time; every client receives everyone's. */
  messagesPerClient: number;
  /** The run stops here whatever is left, so it always ends. */
  deadlineMs: number;
}

export interface LoadReport {
  room: string;
  clients: number;
  sent: number;
  acked: number;
  /** Messages delivered to clients, counting each recipient: at most `sent × clients`. */
  delivered: number;
  expected_deliveries: number;
  ack_ms: { p50: number; p99: number; max: number };
  messages_per_second: number;
  completed: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const tokenFor = (secret: string, userId: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));

/** A public room of its own, so that the run neither disturbs nor counts anyone else's messages. */
const createRoom = async (apiUrl: string, token: string): Promise<string> => {
  const response = await fetch(`${apiUrl}/api/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'load test', private: false }),
  });
  if (!response.ok) throw new Error(`POST /api/rooms answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { room_id: string }).room_id;
};

/** Connects the clients, has each send its messages, and reports ack latency and deliveries. */
export const runLoad = async (options: LoadOptions): Promise<LoadReport> => {
  const started = Date.now();
  const tokens = await Promise.all(
    Array.from({ length: options.clients }, (_, i) => tokenFor(options.secret, `load-${i}`)),
  );
  const room = await createRoom(options.apiUrl, tokens[0]!);
  const deadline = new Promise<'deadline'>((resolve) =>
    setTimeout(resolve, options.deadlineMs, 'deadline').unref(),
  );
  const clients = await Promise.all(
    tokens.map(async (token) => {
      const client = new ChatClient({ url: options.url, token, WebSocket });
      await client.connect();
      await client.join(room);
      return client;
    }),
  );
  const expected = options.clients * options.messagesPerClient * options.clients;
  let delivered = 0;
  let allDelivered: () => void = () => undefined;
  const everyDelivery = new Promise<void>((resolve) => (allDelivered = resolve));
  for (const client of clients) {
    client.on('message', (message) => {
      if (message.content.startsWith('load ') && ++delivered === expected) allDelivered();
    });
  }
  const latencies: number[] = [];
  const sendFrom = async (client: ChatClient, i: number) => {
    for (let n = 0; n < options.messagesPerClient; n++) {
      const sentAt = performance.now();
      await client.send(room, `load ${i}.${n}`);
      latencies.push(performance.now() - sentAt);
    }
  };
  const sending = Date.now();
  const outcome = await Promise.race([
    Promise.all(clients.map(sendFrom))
      .then(() => everyDelivery)
      .then(() => 'done' as const),
    deadline,
  ]);
  const seconds = (Date.now() - sending) / 1000;
  for (const client of clients) client.close();
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    room,
    clients: options.clients,
    sent: options.clients * options.messagesPerClient,
    acked: latencies.length,
    delivered,
    expected_deliveries: expected,
    ack_ms: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
    },
    messages_per_second: Math.round(latencies.length / Math.max(seconds, 0.001)),
    completed: outcome === 'done' && Date.now() - started <= options.deadlineMs,
  };
};
