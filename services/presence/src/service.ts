import type { RoomAccessView } from '@chat/room-access';
import type { Bus } from '@chat/bus';
import { Topics, topicSpecs } from '@chat/contracts';
import type { HttpApp, Logger, Settings } from '@chat/runtime';
import { startMembershipProjection } from './rooms/membership-projection';
import { registerRoomPresenceRoutes } from './rooms/routes';
import type { PresenceStore } from './store/port';
import type { PresenceRules } from './users/presence';
import { registerUserPresenceRoutes } from './users/routes';
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
  /** Creates the topics, then starts the membership projection, the signal consumer and the sweeper. */
  start(): Promise<void>;
  /** Stops what `start` started, in reverse order. Closing the bus and the store is the caller's. */
  stop(): Promise<void>;
  /** The parts not running (yet): empty when the service can take traffic. */
  notReady(): string[];
}

const PARTS = ['presence-membership', 'presence-signals', 'presence-sweeper'] as const;

const MINUTE_MS = 60_000;

export const createPresenceService = (deps: PresenceServiceDeps): PresenceService => {
  const { bus, store, settings, logger } = deps;
  const rules: PresenceRules = {
    offlineThresholdMs: settings.presence.offline_threshold_minutes * MINUTE_MS,
  };
  const running: { name: (typeof PARTS)[number]; stop(): Promise<void> }[] = [];
  const run = async (
    name: (typeof PARTS)[number],
    start: () => Promise<{ stop(): Promise<void> }> | { stop(): Promise<void> },
  ) => {
    const part = await start();
    running.push({ name, stop: () => part.stop() });
  };

  return {
    registerRoutes(app) {
      registerUserPresenceRoutes(app, { store, rules });
      registerRoomPresenceRoutes(app, { store, rules });
    },

    async start() {
      await bus.ensureTopics(
        topicSpecs(Topics.presenceSignals, Topics.presenceChanges, Topics.messageEvents),
      );
      await run('presence-membership', () => startMembershipProjection({ bus, store, logger }));
      await run('presence-signals', () => startSignalConsumer({ bus, store, rules, logger }));
      await run('presence-sweeper', async () =>
        startSweeper({
          bus,
          store,
          rules,
          everyMs: settings.presence.cleanup_interval_minutes * MINUTE_MS,
          logger,
        }),
      );
      logger.info('presence service started');
    },

    async stop() {
      while (running.length > 0) await running.pop()!.stop();
    },

    notReady: () => PARTS.filter((part) => !running.some(({ name }) => name === part)),
  };
};
