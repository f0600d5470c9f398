import type { RoomAccessView } from '@chat/room-access';
import type { Bus, Consumer } from '@chat/bus';
import { Topics, topicSpecs } from '@chat/contracts';
import { runProjection } from '@chat/event-sourcing';
import type { HttpApp, Logger } from '@chat/runtime';
import { searchProjection } from './application/projection';
import type { SearchIndex } from './application/search-index';
import { registerSearchRoutes } from './rest/routes';

export interface SearchServiceDeps {
  /** Who may access each room: this service's view of `room.access`. */
  access: RoomAccessView;
  bus: Bus;
  index: SearchIndex;
  logger: Logger;
}

export interface SearchService {
  /** `GET /api/search/messages` (the app authenticates `/api`). */
  registerRoutes(app: HttpApp): void;
  /** Starts the projection from `message.events` into the index. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The parts not running (yet): empty when the service can take traffic. */
  notReady(): string[];
}

export const createSearchService = ({ bus, index, logger }: SearchServiceDeps): SearchService => {
  let projection: Consumer | null = null;

  return {
    registerRoutes: (app) => registerSearchRoutes(app, index),

    async start() {
      await bus.ensureTopics(topicSpecs(Topics.messageEvents));
      projection = await runProjection(bus, searchProjection(index), logger);
      logger.info('search service started');
    },

    async stop() {
      await projection?.stop();
      projection = null;
    },

    notReady: () => (projection ? [] : ['search-index']),
  };
};
