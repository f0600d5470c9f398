import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { apiOriginOf } from './rest';
import type { WebSocketConstructor } from './frame-socket';

export interface ChatClientOptions {
  /** The gateway's WebSocket endpoint, e.g. `ws://localhost:8000/ws`. */
  url: string;
  /** A token, or a function called before every (re)connect so an expiring token can be replaced. */
  token: string | (() => Promise<string>);
  /** Where the REST API is served (for `openDirect`); defaults to the origin of `url`, over HTTP(S). */
  apiUrl?: string;
  /** The WebSocket class; defaults to the global one. Node 20 has none: pass the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** Delays between reconnects and between retries of a refused request. */
  backoff?: Partial<BackoffPolicy>;
  /** Ping interval; defaults to the `heartbeat_interval` the server announces. */
  heartbeatMs?: number;
  /** How long a send may stay unacknowledged before it is written again (same `client_msg_id`). */
  ackTimeoutMs?: number;
  /**
   * How long a room's messages may wait for a missing seq. The server delivers in order, so a gap
   * that outlasts this means a frame was lost; reconnecting resumes from the last seq delivered.
   */
  gapTimeoutMs?: number;
}

export interface ResolvedOptions {
  url: string;
  apiUrl: string;
  token: () => Promise<string>;
  WebSocket: WebSocketConstructor;
  backoff: BackoffPolicy;
  heartbeatMs: number | undefined;
  ackTimeoutMs: number;
  gapTimeoutMs: number;
}

const globalWebSocket = (): WebSocketConstructor => {
  const found = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!found) {
    throw new TypeError(
      'No global WebSocket here: pass options.WebSocket (e.g. the `ws` package on Node 20).',
    );
  }
  return found;
};

export const resolveOptions = (options: ChatClientOptions): ResolvedOptions => {
  const { token } = options;
  return {
    url: options.url,
    apiUrl: options.apiUrl ?? apiOriginOf(options.url),
    token: typeof token === 'string' ? () => Promise.resolve(token) : token,
    WebSocket: options.WebSocket ?? globalWebSocket(),
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    heartbeatMs: options.heartbeatMs,
    ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
    gapTimeoutMs: options.gapTimeoutMs ?? 5_000,
  };
};
