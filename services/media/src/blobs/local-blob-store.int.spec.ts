import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthenticator, createHttpApp, createLogger } from '@chat/runtime';
import { blobStoreConformance } from './conformance';
import { registerLocalBlobRoutes } from './local-blob-routes';
import { LocalBlobStore } from './local-blob-store';

blobStoreConformance('local directory', async () => {
  const root = mkdtempSync(join(tmpdir(), 'blobs-'));
  const store = LocalBlobStore.open(root);
  // Behind the same HTTP bootstrap as the services: the signed routes must pass without a token.
  const http = await createHttpApp({
    title: 'blobs',
    logger: createLogger('blobs', 'silent'),
    authenticator: createAuthenticator({ secret: 'conformance-secret-0123456789abcdef' }),
  });
  registerLocalBlobRoutes(http, store);
  const origin = await http.listen({ port: 0, host: '127.0.0.1' });
  return {
    store,
    origin,
    dispose: async () => {
      await http.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
});
