import { signToken, type TokenClaims } from '@chat/runtime';
import { TestSocket } from '@chat/testkit';

export const TEST_SECRET = 'e2e-secret-0123456789abcdef0123456789';
/** The fleet's ENCRYPTION_KEY in tests: 32 bytes as hex (a public test value). */
export const TEST_ENCRYPTION_KEY = 'e2e0'.repeat(16);
/** The issuer and audience the fleet's processes require (JWT_ISSUER, JWT_AUDIENCE); the harness signs with them. */
export const TEST_ISSUER = 'chat-tests';
export const TEST_AUDIENCE = 'chat-platform';

/** The suites assert on the JSON they expect, so the body stays loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiResponse = { status: number; body: any };

/**
 * What a scenario talks to: the WebSocket endpoint and the REST API of a running platform,
 * whether embedded (one process) or the fleet (separate processes on real servers).
 */
export interface Harness {
  /** A gateway's `/ws`. With several gateways, each read gives the next one. */
  readonly wsUrl: string;
  /** One gateway's own `/ws`, past any edge: for what a gateway counts per process (its socket caps). */
  readonly oneGatewayWsUrl: string;
  /** Where `/api/...` is served (in the fleet: the edge). */
  apiUrl: string;
  token(userId: string, claims?: Omit<TokenClaims, 'userId'>): Promise<string>;
  /** An authenticated socket (on the next gateway when there are several). */
  connect(userId: string): Promise<TestSocket>;
  api(userId: string | null, method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** A URL the API returned, made absolute: a relative one is on the platform's origin. */
  resolve(url: string): string;
  stop(): Promise<void>;
}

/** A harness over endpoints already running; `stop` tears them down. */
export const harnessOver = (endpoints: {
  wsUrls: string[];
  /** Where the `wsUrls` are an edge's: the first gateway behind it. */
  gatewayWsUrl?: string;
  apiUrl: string;
  stop: () => Promise<void>;
}): Harness => {
  let next = 0;
  const token = (userId: string, claims: Omit<TokenClaims, 'userId'> = {}) =>
    signToken(TEST_SECRET, { userId, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ...claims });
  const harness: Harness = {
    get wsUrl() {
      return endpoints.wsUrls[next++ % endpoints.wsUrls.length]!;
    },
    oneGatewayWsUrl: endpoints.gatewayWsUrl ?? endpoints.wsUrls[0]!,
    apiUrl: endpoints.apiUrl,
    token,
    connect: async (userId) => TestSocket.authenticated(harness.wsUrl, await token(userId)),
    async api(userId, method, path, body) {
      const headers: Record<string, string> = {};
      if (userId) headers.authorization = `Bearer ${await token(userId)}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${endpoints.apiUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    resolve: (url) => new URL(url, endpoints.apiUrl).toString(),
    stop: endpoints.stop,
  };
  return harness;
};

/** Joins a room and waits for `room_joined`. */
export const join = async (socket: TestSocket, roomId: string, lastSeq?: number) => {
  const joined = socket.nextOfType('room_joined', 10_000, (frame) => frame.room_id === roomId);
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
  const ack = socket.nextOfType('ack', 10_000, (frame) => frame.client_msg_id === clientMsgId);
  socket.send({
    type: 'send_message',
    room_id: roomId,
    content,
    message_type: 'text',
    client_msg_id: clientMsgId,
  });
  return ack;
};

/** The `message` frames a socket received for a room, from frame index `from` on. */
export const messagesIn = (socket: TestSocket, roomId: string, from = 0) =>
  socket.frames
    .slice(from)
    .flatMap((frame) => (frame.type === 'message' && frame.room_id === roomId ? [frame] : []));
