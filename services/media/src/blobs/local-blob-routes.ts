import { createReadStream } from 'node:fs';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import { LOCAL_BLOB_ROUTE, type LocalBlobStore } from './local-blob-store';
import { attachmentDisposition } from './port';

/**
 * Serves the signed URLs of a local blob store: `PUT` stores a body, `GET` serves a file. They
 * carry no bearer token — the signature is their authorisation — and take any body as raw bytes
 * (in their own plugin scope, so the other routes keep their JSON-only parsing).
 */
export const registerLocalBlobRoutes = (app: HttpApp, store: LocalBlobStore, maxBytes: number): void => {
  const route = `${LOCAL_BLOB_ROUTE}*`;
  const keyAndQuery = (url: string) => {
    const parsed = new URL(url, 'http://local');
    return {
      key: decodeURIComponent(parsed.pathname.slice(LOCAL_BLOB_ROUTE.length)),
      query: parsed.searchParams,
    };
  };

  void app.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
      done(null, body),
    );

    scope.put(
      route,
      { config: { anonymous: true }, bodyLimit: maxBytes, schema: { hide: true } },
      async (request, reply) => {
        const { key, query } = keyAndQuery(request.url);
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const accepted = await store.acceptUpload(key, query, body);
        if (!accepted.ok) throw new HttpRejection(accepted.error.code, accepted.error.message);
        return reply.code(200).send();
      },
    );

    scope.get(route, { config: { anonymous: true }, schema: { hide: true } }, async (request, reply) => {
      const { key, query } = keyAndQuery(request.url);
      const download = await store.openDownload(key, query);
      if (!download.ok) throw new HttpRejection(download.error.code, download.error.message);
      const { path, size, contentType, fileName } = download.value;
      return reply
        .header('content-type', contentType)
        .header('content-length', size)
        .header('content-disposition', attachmentDisposition(fileName))
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(path));
    });
  });
};
