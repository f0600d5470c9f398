import type { RoomAccessView } from '@chat/room-access';
import type { Bus } from '@chat/bus';
import { FileStreamPrefix, Topics, topicSpecs } from '@chat/contracts';
import {
  AggregateRepository,
  runProjection,
  startRelay,
  type CheckpointStore,
  type Relay,
  type RunningProjection,
} from '@chat/event-sourcing';
import type { EventStore } from '@chat/eventstore';
import { ServiceParts, type HttpApp, type Logger, type Settings } from '@chat/runtime';
import type { BlobStore } from './blobs/port';
import type { UrlSigner } from './blobs/url-signer';
import { fileDecider } from './files/decide';
import { erasureProjection } from './files/erasure';
import { retentionProjection } from './files/retention';
import { createFileHandler, type FileKeys } from './files/file-handler';
import { registerFileRoutes } from './files/routes';
import { sealFileEvents } from './files/sealing';
import { startShareVerifications } from './files/share-verifications';
import type { MediaReadModel } from './read-model/port';
import { uploadsProjection } from './read-model/projections';

export interface MediaServiceDeps {
  store: EventStore;
  /** Who may access each room: this service's view of `room.access`. */
  access: RoomAccessView;
  bus: Bus;
  readModel: MediaReadModel;
  checkpoints: CheckpointStore;
  blobs: BlobStore;
  /** Each file's data key: files are sealed at rest under it. */
  keys: FileKeys;
  /** Signs the links files are served at; the same secret on every replica. */
  urls: UrlSigner;
  settings: Settings;
  logger: Logger;
}

export interface MediaService {
  /** REST under `/api/media` (the app authenticates `/api`). */
  registerRoutes(app: HttpApp): void;
  /** Creates the topics, then starts the relay, the projections, the share verifications and the erasures. */
  start(): Promise<void>;
  /** Stops what `start` started, in reverse order. Closing the stores, bus and blobs is the caller's. */
  stop(): Promise<void>;
  /** The parts not running (yet), the room access view included: empty when the service can take traffic. */
  notReady(): string[];
}

const PARTS = [
  'media-relay',
  'media-uploads',
  'media-commands',
  'media-erasures',
  'media-retention',
] as const;

export const createMediaService = (deps: MediaServiceDeps): MediaService => {
  const { store, access, bus, readModel, checkpoints, blobs, keys, urls, settings, logger } = deps;
  const parts = new ServiceParts(PARTS);
  let relay: Relay | undefined;
  let uploads: RunningProjection | undefined;
  const handler = createFileHandler({
    repository: new AggregateRepository(store, fileDecider, { beforeAppend: sealFileEvents(keys) }),
    readModel,
    access,
    uploadsApplied: (ms) => uploads?.nextApplied(ms) ?? new Promise((resolve) => setTimeout(resolve, ms)),
    published: async (position, timeoutMs) => (relay ? relay.published(position, timeoutMs) : false),
    blobs,
    keys,
    urls,
    settings,
    logger,
  });

  return {
    registerRoutes: (app) => registerFileRoutes(app, { handler, settings }),

    async start() {
      await bus.ensureTopics(
        topicSpecs(
          Topics.mediaEvents,
          Topics.mediaCommands,
          Topics.mediaOutcomes,
          Topics.userErasures,
          Topics.messageEvents,
        ),
      );
      relay = await parts.start('media-relay', () =>
        startRelay({
          name: 'media-relay',
          store,
          bus,
          checkpoints,
          streamPrefixes: [FileStreamPrefix],
          topic: Topics.mediaEvents,
          keyOf: (event) => event.streamName.slice(FileStreamPrefix.length),
          logger,
        }),
      );
      uploads = await parts.start('media-uploads', () =>
        runProjection(bus, uploadsProjection(readModel), logger),
      );
      await parts.start('media-commands', () => startShareVerifications({ bus, handler, logger }));
      await parts.start('media-erasures', () =>
        runProjection(bus, erasureProjection({ readModel, blobs }), logger),
      );
      await parts.start('media-retention', () =>
        runProjection(bus, retentionProjection({ readModel, blobs, keys }), logger),
      );
      logger.info('media service started');
    },

    stop: () => parts.stopAll(),

    notReady: () => [...parts.notRunning(), ...access.notReady()],
  };
};
