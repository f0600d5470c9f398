import { runServiceProcess } from '@chat/service-host';
import { openRoomAccessView } from '@chat/service-host/room-access';
import { openEventSourcedParts } from '@chat/service-host/event-sourced';
import { openContentCipher } from '@chat/service-host/privacy';
import { openBlobStoreFromEnv } from './blobs/from-env';
import { urlSignerOf } from './blobs/url-signer';
import type { MediaReadModel } from './read-model/port';
import { SqliteMediaReadModel } from './read-model/sqlite-read-model';
import { createMediaService } from './service';

/**
 * The media service as its own process (fleet mode), configured from the environment:
 * AWS_S3_BUCKET (with S3_ENDPOINT, S3_PUBLIC_ENDPOINT, S3_FORCE_PATH_STYLE, AWS_* and S3_KEY_PREFIX) for S3, else
 * files under DATA_DIR; EVENTSTORE_URL, KAFKA_BROKERS and MONGODB_URL as the message service;
 * ENCRYPTION_KEY (files are sealed at rest); PORT (8004).
 */
await runServiceProcess({
  name: 'media',
  title: 'Chat media service',
  defaultPort: 8004,
  build: async (host) => {
    const { env, http, settings, logger } = host;
    const { store, bus, readModel, checkpoints } = await openEventSourcedParts<MediaReadModel>(host, {
      sqlite: (path) => SqliteMediaReadModel.open(path),
      mongo: async (url) => (await import('./read-model/mongo-read-model')).MongoMediaReadModel.open(url),
    });
    const cipher = await openContentCipher(host);
    const urls = await urlSignerOf(cipher);
    const blobs = await openBlobStoreFromEnv(env, { http, logger, urls });
    host.closeOnStop(() => blobs.close());
    const access = await openRoomAccessView(host, bus);
    return createMediaService({
      access,
      store,
      bus,
      readModel,
      checkpoints,
      blobs: blobs.store,
      keys: cipher,
      urls,
      settings,
      logger,
    });
  },
});
