import { trace } from '@opentelemetry/api';
import { counter, histogram } from '../metrics';
import { isOperationalPath } from './operational-paths';
import { createHash, timingSafeEqual } from 'node:crypto';
import { httpStatusOf, type ErrorCode, type Rejection } from '@chat/contracts';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Authenticator, Principal } from '../auth/authenticator';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The route checks its callers itself (a signed URL): no bearer token is asked for. */
    anonymous?: boolean;
  }
}

export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpAppOptions {
  title: string;
  logger: Logger;
  authenticator: Authenticator;
}

/**
 * A rejection as the REST error body, with the status that belongs to its code; a refusal that
 * ends by itself says when (`Retry-After` in seconds, as HTTP has it, and `retry_after_ms`, as the
 * WebSocket `error` frame has it).
 */
export const sendRejection = (reply: FastifyReply, rejection: Rejection, retryAfterMs?: number) => {
  if (retryAfterMs === undefined) {
    return reply
      .code(httpStatusOf(rejection.code))
      .send({ code: rejection.code, message: rejection.message });
  }
  return reply
    .code(httpStatusOf(rejection.code))
    .header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
    .send({ code: rejection.code, message: rejection.message, retry_after_ms: Math.ceil(retryAfterMs) });
};

export class HttpRejection extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For a refusal that ends by itself (`rate_limited`): how long until the request may succeed. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const bearerToken = (request: FastifyRequest): string | null => {
  const header = request.headers.authorization;
  if (!header) return null;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
};

/**
 * The REST bootstrap every service uses: JSON logs with a correlation id per request (taken from
 * `x-correlation-id` or generated), the OpenAPI document from the route schemas, one error
 * shape `{code, message}`, and JWT authentication on every route but those configured
 * `{ anonymous: true }` (an unknown path without a token is `unauthenticated`, so probing tells
 * nothing).
 */
export const createHttpApp = async (options: HttpAppOptions): Promise<HttpApp> => {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlation_id' }),
    requestIdHeader: 'x-correlation-id',
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpApp;

  await app.register(swagger, {
    openapi: {
      info: { title: options.title, version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
    nameRequestSpan(request.method, request.routeOptions.url);
    // Decided on the matched route, never on the raw URL: the router decodes what the URL encodes
    // (`/%61pi/...` is `/api/...`). Every route needs a token unless it is marked anonymous.
    if (request.routeOptions.config.anonymous) return;
    const token = bearerToken(request);
    if (!token) return sendRejection(reply, { code: 'unauthenticated', message: 'Bearer token required.' });
    const verified = await options.authenticator.verify(token);
    if (!verified.ok) return sendRejection(reply, verified.error);
    request.principal = verified.value;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpRejection)
      return sendRejection(reply, { code: error.code, message: error.message }, error.retryAfterMs);
    if (error.validation) {
      return sendRejection(reply, { code: 'invalid_request', message: error.message });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ code: 'invalid_request', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return sendRejection(reply, { code: 'internal', message: 'Internal error.' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'invalid_request', message: `No route ${request.method} ${request.url}.` }),
  );
  return app;
};

/**
 * The request's server span (node:http's instrumentation, or the gateway's bridge) is named after
 * its route, not its URL: `GET /api/rooms/:room_id/messages`, one name for every room.
 */
const nameRequestSpan = (method: string, route: string | undefined) => {
  const span = trace.getActiveSpan();
  if (!span || route === undefined) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
};

/** The authenticated caller of an `/api` route (the onRequest hook guarantees it). */
export const principalOf = (request: FastifyRequest): Principal => {
  if (!request.principal) throw new HttpRejection('unauthenticated', 'Bearer token required.');
  return request.principal;
};

/**
 * Who may read `/metrics`: anyone (the embedded run, which listens on loopback by default), the
 * holders of a bearer token (`METRICS_TOKEN`), or nobody (a fleet process without a token: the
 * figures say much about the deployment, and its port is public behind the edge).
 */
export type MetricsAccess = { kind: 'public' } | { kind: 'token'; token: string } | { kind: 'off' };

/** `METRICS_TOKEN` when set; else public for the embedded run, off for a fleet process. */
export const metricsAccessFromEnv = (env: NodeJS.ProcessEnv, embedded: boolean): MetricsAccess => {
  if (env.METRICS_TOKEN) return { kind: 'token', token: env.METRICS_TOKEN };
  return embedded ? { kind: 'public' } : { kind: 'off' };
};

const sameSecret = (given: string, expected: string) => {
  const [a, b] = [
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  ];
  return timingSafeEqual(a, b);
};

export interface OperationalRoutes {
  registry: Registry;
  /** Names of dependencies that are not ready yet; empty when the service can take traffic. */
  notReady: () => string[];
  metrics: MetricsAccess;
}

/**
 * Every REST request counted by route and status and timed (probes and scrapes aside): the error
 * ratio and the refusals (429 `rate_limited`, 403, …) an operator watches. The route, never the
 * URL, is the label: one series per route, whatever the ids in the path.
 */
const countRequests = (app: HttpApp, registry: Registry) => {
  const requests = counter(
    registry,
    'chat_http_requests_total',
    'REST requests answered, by method, route and status.',
    ['method', 'route', 'status'],
  );
  const seconds = histogram(
    registry,
    'chat_http_request_seconds',
    'Time to answer a REST request, by method and route.',
    ['method', 'route'],
  );
  app.addHook('onResponse', async (request, reply) => {
    if (isOperationalPath(request.url)) return;
    // An unknown path is one series, not one per URL tried.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    seconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
};

/**
 * `/healthz` (the process is alive), `/readyz` (it can take traffic), `/metrics` (Prometheus, as
 * `routes.metrics` allows) and the OpenAPI document — public on purpose: it is the contract
 * client authors program against, and says nothing a client could not learn by calling. Counts
 * and times every other request (`countRequests`).
 */
export const registerOperationalRoutes = (app: HttpApp, routes: OperationalRoutes) => {
  countRequests(app, routes.registry);
  app.get('/healthz', { config: { anonymous: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get('/readyz', { config: { anonymous: true }, schema: { hide: true } }, async (_request, reply) => {
    const waiting = routes.notReady();
    return waiting.length === 0
      ? { status: 'ready' }
      : reply.code(503).send({ status: 'not_ready', waiting });
  });
  const { metrics } = routes;
  if (metrics.kind !== 'off') {
    app.get('/metrics', { config: { anonymous: true }, schema: { hide: true } }, async (request, reply) => {
      if (metrics.kind === 'token' && !sameSecret(bearerToken(request) ?? '', metrics.token)) {
        return sendRejection(reply, { code: 'unauthenticated', message: 'The metrics token is required.' });
      }
      return reply.type(routes.registry.contentType).send(await routes.registry.metrics());
    });
  }
  app.get('/api-docs/openapi.json', { config: { anonymous: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
};
