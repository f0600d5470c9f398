import { onServer, s3EnvOf } from '@chat/testkit';
import { describe, expect, it } from 'vitest';
import { blobStoreConformance } from './conformance';
import { s3OptionsFromEnv } from './from-env';
import { S3BlobStore } from './s3-blob-store';

await onServer('s3', 'Blob store on S3', (server) => {
  const options = s3OptionsFromEnv(s3EnvOf(server));
  // A prefix per run: runs sharing the bucket never see each other's objects.
  const openStore = (overrides: { publicEndpoint?: string } = {}) =>
    S3BlobStore.open({
      ...options,
      keyPrefix: `conformance-${crypto.randomUUID().slice(0, 8)}/`,
      ...overrides,
    });

  blobStoreConformance('S3', async () => {
    const store = await openStore();
    return { store, dispose: async () => store.close() };
  });

  describe('S3 blob store behind another address', () => {
    it('signs the upload URLs it hands out for the public endpoint, and they work there', async () => {
      // The same server under a second name: what a browser reaches instead of a compose hostname.
      const internal = new URL(options.endpoint!);
      const publicEndpoint = `http://localhost:${internal.port}`;
      const store = await openStore({ publicEndpoint });
      const bytes = Buffer.from('%PDF-1.7 signed for the public name');
      try {
        const upload = await store.uploadUrl('public/report', {
          size: bytes.length,
          expiresAt: new Date(Date.now() + 60_000),
        });
        expect(new URL(upload).origin).toBe(publicEndpoint);
        expect((await fetch(upload, { method: 'PUT', body: bytes })).ok).toBe(true);
        expect((await store.inspect('public/report', 8))?.size).toBe(bytes.length);
      } finally {
        await store.delete('public/report');
        store.close();
      }
    });
  });
});
