import { signToken } from '@chat/runtime';
import type { Wire } from '../wire/wire';

export const TARGET_NAMES = ['embedded', 'fleet', 'uws', 'socketio', 'centrifugo'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Signs every token of a run; the servers are started with it (JWT_SECRET_KEY, HMAC for Centrifugo). */
export const BENCH_SECRET = 'chat-bench-secret-0123456789abcdef0123456789';

/** The issuer and audience the fleet's processes require (JWT_ISSUER, JWT_AUDIENCE). */
export const BENCH_TOKEN_CLAIMS = { issuer: 'chat-bench', audience: 'chat-platform' };

/** Tokens outlive any run (a run lasts minutes); servers that check no issuer or audience ignore them. */
export const benchToken = (userId: string): Promise<string> =>
  signToken(BENCH_SECRET, { userId, ttlSeconds: 6 * 3600, ...BENCH_TOKEN_CLAIMS });

/**
 * The platform's limits a load test has to lift, set through the documented environment
 * overrides (`CHAT_<SECTION>__<KEY>`). Everything else runs with `config/default.yaml` as shipped,
 * including the per-connection frame budget of the gateway (200 frames per 10 s, not
 * configurable), which the scenarios stay below.
 */
export const BENCH_LIMITS: Record<string, string> = {
  CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '1000000',
  CHAT_RATE_LIMITING__ROOMS_PER_DAY: '1000000',
  CHAT_WEBSOCKET__MAX_CONNECTIONS_PER_USER: '1000000',
  CHAT_WEBSOCKET__MAX_UNAUTHENTICATED_PER_ADDRESS: '1000000',
};

/** What a scenario needs of a running server, whichever it is. */
export interface Target {
  readonly name: TargetName;
  readonly wire: Wire;
  /** Where clients connect; with several gateways, clients are spread over them. */
  readonly wsUrls: string[];
  /** Where the platform's REST API is served (ours only). */
  readonly apiUrl: string | null;
  /** The environment the server was started with, beyond its defaults: recorded in every result. */
  readonly settings: Record<string, string>;
  /** What the figures of this target mean (e.g. Centrifugo's thread count). */
  readonly notes: string[];
  /** Creates a room owned by `ownerId`; servers without rooms of their own just name one. */
  createRoom(ownerId: string, name: string): Promise<string>;
  /** The processes holding the WebSocket connections: the gateway(s), or the baseline server. */
  gatewayPids(): number[];
  /** Every process of the server side, for CPU accounting. */
  serverPids(): number[];
  /** The gateway's heap in use (V8's, or Go's), when the server exposes it. */
  heapBytes(): Promise<number | null>;
  stop(): Promise<void>;
}

/** The fleet's processes serve `/metrics` only with this token (METRICS_TOKEN). */
export const BENCH_METRICS_TOKEN = 'chat-bench-metrics-token';

/** What every fleet the harness starts (benchmarks, chaos) runs with: the limits and the token checks. */
export const BENCH_FLEET_ENV: Record<string, string> = {
  ...BENCH_LIMITS,
  LOG_LEVEL: 'warn',
  JWT_SECRET_KEY: BENCH_SECRET,
  // The fleet refuses to start without one; a public value, like the token secret.
  ENCRYPTION_KEY: 'be4c'.repeat(16),
  JWT_ISSUER: BENCH_TOKEN_CLAIMS.issuer,
  JWT_AUDIENCE: BENCH_TOKEN_CLAIMS.audience,
  METRICS_TOKEN: BENCH_METRICS_TOKEN,
};

/** A Prometheus text exposition's value of one metric (summed over its series). */
export const prometheusValue = async (url: string, metric: string): Promise<number | null> => {
  try {
    const text = await (
      await fetch(url, {
        headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
        signal: AbortSignal.timeout(5_000),
      })
    ).text();
    let total: number | null = null;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${metric} `) || line.startsWith(`${metric}{`)) {
        total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  } catch {
    return null;
  }
};

/** Creates a public room over the platform's REST API; its owner is its first member. */
export const createRoomOverRest = async (apiUrl: string, ownerId: string, name: string): Promise<string> => {
  const response = await fetch(`${apiUrl}/api/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await benchToken(ownerId)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, private: false }),
  });
  const body = (await response.json()) as { room_id?: string };
  if (response.status !== 201 || !body.room_id) {
    throw new Error(`POST /api/rooms answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.room_id;
};
