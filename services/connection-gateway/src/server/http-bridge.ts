import type { HttpApp } from '@chat/runtime';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';

interface BufferedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

const readBody = (res: HttpResponse, maxBytes: number, onDone: (body: Buffer | null) => void) => {
  const chunks: Buffer[] = [];
  let size = 0;
  res.onData((chunk, isLast) => {
    // uWS reuses the chunk's memory after this callback returns: copy it.
    size += chunk.byteLength;
    if (size > maxBytes) return onDone(null);
    chunks.push(Buffer.from(chunk.slice(0)));
    if (isLast) onDone(Buffer.concat(chunks));
  });
};

const copyRequest = (req: HttpRequest): Omit<BufferedRequest, 'body'> => {
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

/**
 * Serves every plain HTTP request that reaches the uWebSockets.js listener through the Fastify
 * app (REST routes, health, metrics, OpenAPI), so one port carries `/ws` and `/api` alike.
 * Fastify's `inject` runs the full request lifecycle without a second socket. Bodies are
 * buffered up to `maxBodyBytes`; each route's own body limit still applies behind that.
 */
export const bridgeHttp = (app: TemplatedApp, http: HttpApp, maxBodyBytes: number): void => {
  app.any('/*', (res, req) => {
    const request = copyRequest(req);
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    readBody(res, maxBodyBytes, (body) => {
      if (body === null) {
        if (!aborted)
          res.cork(() =>
            res
              .writeStatus('413 Payload Too Large')
              .end('{"code":"invalid_request","message":"Body too large."}', true),
          );
        aborted = true;
        return;
      }
      void http
        .inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          payload: body.length ? body : undefined,
        })
        .then((response) => {
          if (aborted) return;
          res.cork(() => {
            res.writeStatus(`${response.statusCode} ${response.statusMessage}`);
            for (const [name, value] of Object.entries(response.headers)) {
              if (
                value === undefined ||
                name === 'content-length' ||
                name === 'connection' ||
                name === 'transfer-encoding'
              )
                continue;
              for (const one of Array.isArray(value) ? value : [value]) res.writeHeader(name, String(one));
            }
            res.end(response.rawPayload);
          });
        });
    });
  });
};
