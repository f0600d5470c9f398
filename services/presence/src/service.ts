import type { RoomAccessView } from '@chat/room-access';
import type { Bus } from '@chat/bus';
import { Topics, topicSpecs } from '@chat/contracts';
import { ServiceParts, type HttpApp, type Logger, type Settings } from '@chat/runtime';
import { registerRoomPresenceRoutes } from './rooms/routes';
import type { PresenceStore } from './store/port';
import type { PresenceRules } from './users/presence';
import { registerUserPresenceRoutes } from './users/routes';
import { startErasureConsumer } from './users/erasures';
import { startSignalConsumer } from './users/signal-consumer';
import { startSweeper } from './users/sweeper';

export interface PresenceServiceDeps {
  /** Who may access each room: this service's view of `room.access`. */
  access: RoomAccessView;
  bus: Bus;
  store: PresenceStore;
  settings: Settings;
  logger: Logger;
}

export interface PresenceService {
  /** `GET /api/presence/users/{user_id}` and `GET /api/presence/room/{room_id}`. */
  registerRoutes(app: HttpApp): void;
  /** Creates the topics, then starts the signal consumer, the sweeper and the erasures consumer. */
  start(): Promise<void>;
  /** Stops what `start` started, in reverse order. Closing the bus and the store is the caller's. */
  stop(): Promise<void>;
  /** The parts not running (yet), the room access view included: empty when the service can take traffic. */
  notReady(): string[];
}

const PARTS = ['presence-signals', 'presence-sweeper', 'presence-erasures'] as const;

const MINUTE_MS = 60_000;

export const createPresenceService = (deps: PresenceServiceDeps): PresenceService => {
  const { access, bus, store, settings, logger } = deps;
  const rules: PresenceRules = {
    offlineThresholdMs: settings.presence.offline_threshold_minutes * MINUTE_MS,
  };
  const parts = new ServiceParts(PARTS);

  return {
    registerRoutes(app) {
      registerUserPresenceRoutes(app, { store, rules });
      registerRoomPresenceRoutes(app, { access, store, rules });
    },

    async start() {
      await bus.ensureTopics(topicSpecs(Topics.presenceSignals, Topics.presenceChanges, Topics.userErasures));
      await parts.start('presence-signals', () => startSignalConsumer({ access, bus, store, rules, logger }));
      await parts.start('presence-sweeper', () =>
        startSweeper({
          bus,
          store,
          rules,
          everyMs: settings.presence.cleanup_interval_minutes * MINUTE_MS,
          logger,
        }),
      );
      await parts.start('presence-erasures', () => startErasureConsumer({ bus, store, logger }));
      logger.info('presence service started');
    },

    stop: () => parts.stopAll(),

    notReady: () => [...parts.notRunning(), ...access.notReady()],
  };
};
