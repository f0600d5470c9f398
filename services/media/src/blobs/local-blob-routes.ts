import { Readable } from 'node:stream';
import type { Rejection, Result } from '@chat/contracts';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import { LOCAL_BLOB_ROUTE, type LocalBlobStore } from './local-blob-store';

/**
 * Serves the upload URLs of a local blob store: `PUT` stores a body. They carry no bearer token —
 * the signature is their authorisation. The signature and the declared length are checked before
 * the body is read, and the body is streamed to disk, never held in memory (in their own plugin
 * scope, so the other routes keep their JSON-only parsing). Files are served opened by the file
 * routes (`GET /api/media/{file_id}/content`), never from here.
 */
export const registerLocalBlobRoutes = (app: HttpApp, store: LocalBlobStore): void => {
  const route = `${LOCAL_BLOB_ROUTE}*`;
  const keyAndQuery = (url: string) => {
    const parsed = new URL(url, 'http://local');
    return {
      key: decodeURIComponent(parsed.pathname.slice(LOCAL_BLOB_ROUTE.length)),
      query: parsed.searchParams,
    };
  };
  const orReject = <T>(result: Result<T, Rejection>): T => {
    if (!result.ok) throw new HttpRejection(result.error.code, result.error.message);
    return result.value;
  };

  void app.register(async (scope) => {
    // The body stays a stream for the handler to read, once the URL is known to be good.
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    scope.put(route, { config: { anonymous: true }, schema: { hide: true } }, async (request, reply) => {
      const { key, query } = keyAndQuery(request.url);
      const declared = request.headers['content-length'];
      const size = orReject(store.checkUpload(key, query, declared === undefined ? null : Number(declared)));
      const body = (request.body as Readable | undefined) ?? Readable.from([]);
      orReject(await store.storeUpload(key, size, body));
      return reply.code(200).send();
    });
  });
};
