import { buildAsyncApi } from '@chat/contracts/asyncapi';
import type { HttpApp } from '@chat/runtime';

/**
 * `/api-docs/asyncapi.json`: the WebSocket contract beside the REST one (`/api-docs/openapi.json`),
 * so a client author finds both at one address. Built from the contracts at start, it is the
 * document committed as docs/asyncapi.json.
 */
export const registerAsyncApiRoute = (http: HttpApp) => {
  const document = buildAsyncApi();
  http.get(
    '/api-docs/asyncapi.json',
    { config: { anonymous: true }, schema: { hide: true } },
    async () => document,
  );
};
