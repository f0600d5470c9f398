import type { ContentCipher } from '@chat/privacy';
import type { Bus, Consumer } from '@chat/bus';
import { CloseCode } from '@chat/contracts';
import type { RoomAccessView, SuspensionView } from '@chat/room-access';
import {
  InMemoryRateLimiter,
  LocalRateLimiter,
  type Authenticator,
  type HttpApp,
  type Logger,
  type RateLimiter,
  type Registry,
  type Settings,
} from '@chat/runtime';
import uWS from 'uWebSockets.js';
import { PendingCommands } from './commands/pending-commands';
import type { GatewayContext } from './context';
import { RoomFanout } from './fanout/room-fanout';
import { createGatewayMetrics } from './metrics';
import { showTyping } from './presence/delivery';
import { heartbeatEveryMs, PresenceSignals } from './presence/presence-signals';
import { TypingIndicators } from './presence/typing-indicators';
import { ResumeQueries } from './rooms/resume-queries';
import { registerAsyncApiRoute } from './server/api-docs';
import { startConsumers } from './server/consumers';
import { receiveFrame } from './server/dispatch';
import { bridgeHttp } from './server/http-bridge';
import { onResumeSilence } from './server/resume-answers';
import { AuthFailures } from './sessions/auth-failures';
import { armAuthenticationDeadline, releaseConnection } from './sessions/authenticate';
import { newConnection, type Connection, type SocketData } from './sessions/connection';
import { InMemoryConnectionRegistry, type ConnectionRegistry } from './sessions/connection-registry';
import { allowedOriginsOf, originAllowed, type OriginPolicy } from './sessions/origins';
import { closeSuspended } from './sessions/suspended';
import { Outbox } from './sessions/outbox';
import { clientAddressOf, UnauthenticatedSockets } from './sessions/unauthenticated-sockets';

export interface GatewayDeps {
  bus: Bus;
  /** Who may access each room: this gateway's view of `room.access`. */
  access: RoomAccessView;
  /** Suspended and erased users, from `user.suspensions` and `user.erasures`: their sockets close (4007, 4008). */
  suspensions: SuspensionView;
  authenticator: Authenticator;
  settings: Settings;
  logger: Logger;
  registry: Registry;
  /** Names this instance's consumer groups and the outcomes addressed to it. Stable per instance. */
  instanceId: string;
  /** Serves every non-WebSocket request (REST, health, metrics) on the same port. */
  http: HttpApp;
  connections?: ConnectionRegistry;
  /** Lets pages on this machine (`http://localhost:<port>`) connect besides the allowed origins: the embedded run. */
  allowLocalhostOrigins?: boolean;
  /** Users' budgets; default: in this process (one gateway). */
  limiter?: RateLimiter;
  /** Seals what users write into commands, and opens what the fan-out and resumes show. */
  cipher: ContentCipher;
  commandTimeoutMs?: number;
}

export interface Gateway {
  start(): Promise<void>;
  listen(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
  notReady(): string[];
}

/** Per-connection frame budget: generous for people, a wall for floods. */
const FRAMES_PER_10_SECONDS = 200;
/** Per-user typing signals (a start at most once a second per room passes on). */
const TYPING_SIGNALS_PER_10_SECONDS = 30;
/**
 * Frames up to this size are read and, past `max_frame_bytes`, refused with an error; larger ones
 * make uWS drop the socket before buffering them.
 */
const HARD_FRAME_LIMIT_BYTES = 1024 * 1024;
/** Request bodies the HTTP bridge receives at once, and how long each may take. */
const MAX_CONCURRENT_BODIES = 32;
const BODY_TIMEOUT_MS = 60_000;
/** How soon after its minute ends a minute's failed authentications are published. */
const AUTH_FAILURE_FLUSH_MS = 5_000;

export const createGateway = (deps: GatewayDeps): Gateway => {
  const { settings, logger } = deps;
  const app = uWS.App();
  const metrics = createGatewayMetrics(deps.registry);
  const outbox = new Outbox(metrics);
  const ctx: GatewayContext = {
    instanceId: deps.instanceId,
    bus: deps.bus,
    access: deps.access,
    authenticator: deps.authenticator,
    settings,
    logger,
    metrics,
    outbox,
    fanout: new RoomFanout(app, outbox, metrics),
    pending: new PendingCommands(deps.commandTimeoutMs ?? 10_000),
    verifications: new PendingCommands(deps.commandTimeoutMs ?? 10_000),
    resumeQueries: new ResumeQueries(deps.bus, deps.instanceId, (query) => onResumeSilence(ctx, query)),
    registry: deps.connections ?? new InMemoryConnectionRegistry(),
    usersOnline: new Map(),
    limiter: deps.limiter ?? new InMemoryRateLimiter(),
    frameLimiter: new LocalRateLimiter({ capacity: FRAMES_PER_10_SECONDS, periodMs: 10_000 }),
    unauthenticated: new UnauthenticatedSockets(settings.websocket.max_unauthenticated_per_address),
    typingLimiter: new LocalRateLimiter({ capacity: TYPING_SIGNALS_PER_10_SECONDS, periodMs: 10_000 }),
    presence: new PresenceSignals(deps.bus, deps.instanceId, logger),
    typing: new TypingIndicators((signal) => showTyping(ctx, signal)),
    authFailures: new AuthFailures(deps.bus, deps.instanceId, logger),
    cipher: deps.cipher,
  };
  const origins: OriginPolicy = {
    allowed: allowedOriginsOf(settings.websocket.allowed_origins),
    allowLocalhost: deps.allowLocalhostOrigins ?? false,
  };
  deps.suspensions.onSuspended((userId, refusal) => {
    // An erased user's keys are destroyed: stop opening their content from the cache at once, and
    // stop replaying what they wrote from the recent frames (their rooms are not known here: all go).
    if (refusal.code === 'account_erased') {
      ctx.cipher.forget({ user_id: userId });
      ctx.fanout.forgetRecentFrames();
    }
    closeSuspended(ctx, userId, refusal);
  });
  const open = new Set<Connection>();
  let consumers: Consumer[] = [];
  let listenSocket: uWS.us_listen_socket | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  let heartbeats: NodeJS.Timeout | null = null;
  let authFailureFlush: NodeJS.Timeout | null = null;

  app.ws<SocketData>('/ws', {
    compression: uWS.DISABLED,
    maxPayloadLength: Math.max(HARD_FRAME_LIMIT_BYTES, settings.websocket.max_frame_bytes),
    maxBackpressure: settings.websocket.max_backpressure_bytes,
    closeOnBackpressureLimit: 1,
    idleTimeout: settings.websocket.heartbeat_interval * 2,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => {
      const address = clientAddressOf(
        Buffer.from(res.getRemoteAddressAsText()).toString(),
        req.getHeader('x-forwarded-for'),
        settings.websocket.trust_forwarded_for,
      );
      if (!originAllowed(origins, req.getHeader('origin'), req.getHeader('host'))) {
        res.writeStatus('403 Forbidden').end('This origin may not open a WebSocket here.');
        return;
      }
      if (!ctx.unauthenticated.admits(address)) {
        res
          .writeStatus('429 Too Many Requests')
          .end('Too many unauthenticated connections from this address.');
        return;
      }
      res.upgrade<SocketData>(
        { connection: newConnection(crypto.randomUUID(), address) },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open: (ws) => {
      const { connection } = ws.getUserData();
      connection.ws = ws;
      open.add(connection);
      ctx.unauthenticated.opened(connection);
      metrics.connections.inc();
      metrics.connectionsOpened.inc();
      armAuthenticationDeadline(ctx, connection);
    },
    message: (ws, message, isBinary) => {
      const { connection } = ws.getUserData();
      connection.heard = true;
      receiveFrame(ctx, connection, message, isBinary);
    },
    pong: (ws) => {
      ws.getUserData().connection.heard = true;
    },
    close: (ws) => {
      const { connection } = ws.getUserData();
      connection.closed = true;
      open.delete(connection);
      metrics.connections.dec();
      ctx.fanout.forget(connection);
      ctx.resumeQueries.forget(connection);
      releaseConnection(ctx, connection).catch((error: unknown) =>
        logger.warn({ err: error, connection_id: connection.id }, 'releasing a connection failed'),
      );
    },
  });
  // Files up to `max_file_size` are PUT to the embedded blob store's signed URLs on this port; every
  // other route keeps its own, smaller, limit (256 KiB).
  bridgeHttp(app, deps.http, {
    maxBytes: settings.messages.max_file_size,
    maxConcurrent: MAX_CONCURRENT_BODIES,
    timeoutMs: BODY_TIMEOUT_MS,
  });
  registerAsyncApiRoute(deps.http);

  return {
    async start() {
      consumers = await startConsumers(ctx);
      sweeper = setInterval(() => {
        ctx.frameLimiter.sweep();
        ctx.typingLimiter.sweep();
      }, 60_000);
      authFailureFlush = setInterval(() => ctx.authFailures.flush(), AUTH_FAILURE_FLUSH_MS);
      heartbeats = setInterval(() => ctx.presence.heartbeat(open), heartbeatEveryMs(settings));
    },
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        app.listen(host, port, (socket) => {
          if (!socket) return reject(new Error(`Cannot listen on ${host}:${port}`));
          listenSocket = socket;
          const bound = uWS.us_socket_local_port(socket);
          logger.info({ port: bound, instance: deps.instanceId }, 'gateway listening');
          resolve(bound);
        });
      }),
    async stop() {
      if (listenSocket) uWS.us_listen_socket_close(listenSocket);
      listenSocket = null;
      for (const connection of open) outbox.close(connection, CloseCode.goingAway, 'server shutting down');
      clearInterval(sweeper ?? undefined);
      clearInterval(heartbeats ?? undefined);
      clearInterval(authFailureFlush ?? undefined);
      await ctx.presence.drain();
      await ctx.authFailures.stop();
      ctx.pending.abandonAll();
      ctx.verifications.abandonAll();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      consumers = [];
      ctx.typing.clear();
      await ctx.limiter.close();
    },
    notReady: () => [
      ...(listenSocket ? [] : ['gateway-listener']),
      ...(consumers.length ? [] : ['gateway-consumers']),
    ],
  };
};
