import { PassThrough } from 'node:stream';
import { failSpan, SpanKind, startSpan, traceContextOf, withSpan } from '@chat/bus';
import { isOperationalPath, type HttpApp } from '@chat/runtime';
import type { HttpRequest, TemplatedApp } from 'uWebSockets.js';

interface CopiedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** What the bridge lets a request's body cost: the route's own limit applies behind these. */
export interface BodyLimits {
  /** No body is larger, whatever the route (the file size limit: uploads to signed URLs). */
  maxBytes: number;
  /** Bodies being received at once; a request with a body beyond them is answered 503. */
  maxConcurrent: number;
  /** A body not received within this long is answered 408. */
  timeoutMs: number;
}

/** Chunks held for the route before the socket is paused. */
const BODY_HIGH_WATER_MARK = 64 * 1024;

const copyRequest = (req: HttpRequest): CopiedRequest => {
  const headers: Record<string, string> = {};
  req.forEach((name, value) => {
    headers[name] = value;
  });
  const query = req.getQuery();
  return {
    method: req.getMethod().toUpperCase(),
    url: query ? `${req.getUrl()}?${query}` : req.getUrl(),
    headers,
  };
};

const hasBody = (headers: Record<string, string>) =>
  Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;

const refusal = (status: string, message: string) =>
  ({ status, body: JSON.stringify({ code: 'invalid_request', message }) }) as const;

/**
 * The request's server span, continuing the caller's trace when it sent one (uWebSockets.js is
 * not node:http, so its instrumentation never sees these); the app names it after the route.
 */
const traced = <T extends { statusCode: number }>(
  request: CopiedRequest,
  run: () => Promise<T>,
): Promise<T> => {
  if (isOperationalPath(request.url)) return run();
  const span = startSpan(
    request.method,
    { 'http.request.method': request.method, 'url.path': request.url.split('?')[0] },
    traceContextOf(request.headers),
    SpanKind.SERVER,
  );
  return withSpan(span, async () => {
    const response = await run();
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) failSpan(span, `HTTP ${response.statusCode}`);
    return response;
  });
};

/**
 * Serves every plain HTTP request that reaches the uWebSockets.js listener through the Fastify
 * app (REST routes, health, metrics, OpenAPI), so one port carries `/ws` and `/api` alike.
 * Fastify's `inject` runs the full request lifecycle without a second socket. The body is
 * streamed to the route as it arrives — never buffered here — so a route answers before the
 * body is read when it can (a bad signature, a missing token, a declared length over the route's
 * limit) and a slow reader pauses the socket. `limits` bound what bodies may cost together.
 */
export const bridgeHttp = (app: TemplatedApp, http: HttpApp, limits: BodyLimits): void => {
  let receiving = 0;

  app.any('/*', (res, req) => {
    const request = copyRequest(req);
    let answered = false;
    let body: PassThrough | undefined;
    let bodyDone: (() => void) | undefined;

    const answer = (status: string, headers: [string, string][], payload: string | Buffer) => {
      bodyDone?.();
      if (answered) return;
      answered = true;
      res.cork(() => {
        res.writeStatus(status);
        for (const [name, value] of headers) res.writeHeader(name, value);
        res.end(payload, true);
      });
    };
    const refuse = ({ status, body: payload }: ReturnType<typeof refusal>) =>
      answer(status, [['content-type', 'application/json']], payload);

    res.onAborted(() => {
      answered = true;
      bodyDone?.();
      body?.destroy(new Error('client went away'));
    });

    if (hasBody(request.headers)) {
      if (Number(request.headers['content-length'] ?? 0) > limits.maxBytes) {
        return refuse(refusal('413 Payload Too Large', 'Body too large.'));
      }
      if (receiving >= limits.maxConcurrent) {
        return refuse(refusal('503 Service Unavailable', 'Too many requests in progress; try again.'));
      }
      receiving += 1;
      const stream = new PassThrough({ highWaterMark: BODY_HIGH_WATER_MARK });
      body = stream;
      const timer = setTimeout(() => {
        refuse(refusal('408 Request Timeout', 'The body took too long.'));
        stream.destroy(new Error('body timed out'));
      }, limits.timeoutMs);
      bodyDone = () => {
        clearTimeout(timer);
        receiving -= 1;
        bodyDone = undefined;
      };
      let size = 0;
      res.onData((chunk, isLast) => {
        if (answered || stream.destroyed) return;
        size += chunk.byteLength;
        if (size > limits.maxBytes) {
          refuse(refusal('413 Payload Too Large', 'Body too large.'));
          return void stream.destroy(new Error('body too large'));
        }
        // uWS reuses the chunk's memory after this callback returns: copy it. A route reading slower
        // than the client sends pauses the socket rather than letting chunks pile up here.
        if (!stream.write(Buffer.from(chunk.slice(0)))) {
          res.pause();
          stream.once('drain', () => answered || res.resume());
        }
        if (isLast) {
          bodyDone?.();
          stream.end();
        }
      });
    }

    void traced(request, () =>
      http.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: request.headers,
        ...(body ? { payload: body } : {}),
      }),
    ).then(
      (response) => {
        const headers: [string, string][] = [];
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined || ['content-length', 'connection', 'transfer-encoding'].includes(name))
            continue;
          for (const one of Array.isArray(value) ? value : [value]) headers.push([name, String(one)]);
        }
        answer(`${response.statusCode} ${response.statusMessage}`, headers, response.rawPayload);
      },
      () => refuse(refusal('400 Bad Request', 'The request could not be read.')),
    );
  });
};
