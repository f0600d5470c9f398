export { createMediaService, type MediaService, type MediaServiceDeps } from './service';
/** The embedded adapters; the host picks them at start-up. */
export { LocalBlobStore } from './blobs/local-blob-store';
export { urlSignerOf } from './blobs/url-signer';
export { registerLocalBlobRoutes } from './blobs/local-blob-routes';
export { SqliteMediaReadModel } from './read-model/sqlite-read-model';
