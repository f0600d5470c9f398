import { join } from 'node:path';
import type { HttpApp, Logger } from '@chat/runtime';
import { registerLocalBlobRoutes } from './local-blob-routes';
import { LocalBlobStore } from './local-blob-store';
import type { BlobStore } from './port';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';
import type { UrlSigner } from './url-signer';

/** The S3 settings of the specification's environment (plus S3_ENDPOINT, S3_PUBLIC_ENDPOINT and friends for MinIO). */
export const s3OptionsFromEnv = (env: NodeJS.ProcessEnv): S3BlobStoreOptions => ({
  bucket: env.AWS_S3_BUCKET ?? 'chat-files',
  region: env.AWS_REGION ?? 'us-east-1',
  endpoint: env.S3_ENDPOINT || undefined,
  publicEndpoint: env.S3_PUBLIC_ENDPOINT || undefined,
  forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
  credentials:
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
      : undefined,
  keyPrefix: env.S3_KEY_PREFIX ?? '',
});

/**
 * The blob store chosen once, at start-up: S3 when AWS_S3_BUCKET is set, else files under
 * DATA_DIR served through signed URLs by this service's own routes (registered on `http`).
 */
export const openBlobStoreFromEnv = async (
  env: NodeJS.ProcessEnv,
  options: { http: HttpApp; logger: Logger; urls: UrlSigner },
): Promise<{ store: BlobStore; close(): void }> => {
  if (env.AWS_S3_BUCKET) {
    const s3 = s3OptionsFromEnv(env);
    options.logger.info({ bucket: s3.bucket, endpoint: s3.endpoint, key_prefix: s3.keyPrefix }, 'blobs: S3');
    const store = await S3BlobStore.open(s3);
    return { store, close: () => store.close() };
  }
  const root = join(env.DATA_DIR ?? './data', 'media', 'blobs');
  options.logger.info({ root }, 'blobs: local directory');
  const store = LocalBlobStore.open(root, options.urls);
  registerLocalBlobRoutes(options.http, store);
  return { store, close: () => {} };
};
