import type { RoomAccessView } from '@chat/room-access';
import type { Bus } from '@chat/bus';
import type { ContentCipher } from '@chat/privacy';
import { Topics, topicSpecs } from '@chat/contracts';
import { runProjection } from '@chat/event-sourcing';
import { ServiceParts, type HttpApp, type Logger } from '@chat/runtime';
import { searchProjection } from './application/projection';
import type { SearchIndex } from './application/search-index';
import { registerSearchRoutes } from './rest/routes';

export interface SearchServiceDeps {
  /** Who may access each room: this service's view of `room.access`. */
  access: RoomAccessView;
  bus: Bus;
  index: SearchIndex;
  logger: Logger;
  /** Opens the content of the events it indexes. */
  cipher: ContentCipher;
}

export interface SearchService {
  /** `GET /api/search/messages` (the app authenticates `/api`). */
  registerRoutes(app: HttpApp): void;
  /** Starts the projection from `message.events` into the index. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The parts not running (yet), the room access view included: empty when the service can take traffic. */
  notReady(): string[];
}

export const createSearchService = ({
  access,
  bus,
  index,
  logger,
  cipher,
}: SearchServiceDeps): SearchService => {
  const parts = new ServiceParts(['search-index'] as const);

  return {
    registerRoutes: (app) => registerSearchRoutes(app, { index, access }),

    async start() {
      await bus.ensureTopics(topicSpecs(Topics.messageEvents));
      await parts.start('search-index', () =>
        runProjection(bus, searchProjection(index, cipher, logger), logger),
      );
      logger.info('search service started');
    },

    stop: () => parts.stopAll(),

    notReady: () => [...parts.notRunning(), ...access.notReady()],
  };
};
