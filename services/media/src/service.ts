import type { RoomAccessView } from '@chat/room-access';
import type { Bus } from '@chat/bus';
import { FileStreamPrefix, Topics, topicSpecs } from '@chat/contracts';
import { AggregateRepository, runProjection, startRelay, type CheckpointStore } from '@chat/event-sourcing';
import type { EventStore } from '@chat/eventstore';
import type { HttpApp, Logger, Settings } from '@chat/runtime';
import type { BlobStore } from './blobs/port';
import { fileDecider } from './files/decide';
import { createFileHandler } from './files/file-handler';
import { registerFileRoutes } from './files/routes';
import type { MediaReadModel } from './read-model/port';
import { roomAccessProjection, uploadsProjection } from './read-model/projections';

export interface MediaServiceDeps {
  store: EventStore;
  /** Who may access each room: this service's view of `room.access`. */
  access: RoomAccessView;
  bus: Bus;
  readModel: MediaReadModel;
  checkpoints: CheckpointStore;
  blobs: BlobStore;
  settings: Settings;
  logger: Logger;
}

export interface MediaService {
  /** REST under `/api/media` (the app authenticates `/api`). */
  registerRoutes(app: HttpApp): void;
  /** Creates the topics, then starts the relay and the projections. */
  start(): Promise<void>;
  /** Stops what `start` started, in reverse order. Closing the stores, bus and blobs is the caller's. */
  stop(): Promise<void>;
  /** The parts not running (yet): empty when the service can take traffic. */
  notReady(): string[];
}

const PARTS = ['media-relay', 'media-room-access', 'media-uploads'] as const;

export const createMediaService = (deps: MediaServiceDeps): MediaService => {
  const { store, bus, readModel, checkpoints, blobs, settings, logger } = deps;
  const handler = createFileHandler({
    repository: new AggregateRepository(store, fileDecider),
    readModel,
    blobs,
    settings,
  });
  const running: { name: (typeof PARTS)[number]; stop(): Promise<void> }[] = [];
  const run = async (
    name: (typeof PARTS)[number],
    start: () => Promise<{ stop(): Promise<void> }> | { stop(): Promise<void> },
  ) => {
    const part = await start();
    running.push({ name, stop: () => part.stop() });
  };

  return {
    registerRoutes: (app) => registerFileRoutes(app, { handler, settings }),

    async start() {
      await bus.ensureTopics(topicSpecs(Topics.mediaEvents, Topics.messageEvents));
      await run('media-relay', () =>
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
      await run('media-room-access', () => runProjection(bus, roomAccessProjection(readModel), logger));
      await run('media-uploads', () => runProjection(bus, uploadsProjection(readModel), logger));
      logger.info('media service started');
    },

    async stop() {
      while (running.length > 0) await running.pop()!.stop();
    },

    notReady: () => PARTS.filter((part) => !running.some(({ name }) => name === part)),
  };
};
