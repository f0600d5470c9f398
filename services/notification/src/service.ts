import type { RoomAccessView } from '@chat/room-access';
import type { Bus } from '@chat/bus';
import { NotifyDeliveryStreamPrefix, NotifyUserStreamPrefix, Topics, topicSpecs } from '@chat/contracts';
import { AggregateRepository, runProjection, startRelay, type CheckpointStore } from '@chat/event-sourcing';
import type { EventStore } from '@chat/eventstore';
import type { HttpApp, Logger, Settings } from '@chat/runtime';
import { startCommandConsumer } from './commands/command-consumer';
import { deliveryDecider } from './deliveries/decide';
import { createDispatcher } from './deliveries/dispatcher';
import { messageEventsConsumer } from './deliveries/message-events';
import type { DeliverySender } from './deliveries/sender';
import { presenceChangeOf, startPresenceConsumer } from './presence/presence-consumer';
import type { NotificationReadModel } from './read-model/port';
import { notificationProjection } from './read-model/projections';
import { userDecider } from './users/decide';
import { createUnreadAnnouncer } from './unread/announcer';
import { startConnectionsConsumer } from './unread/connections-consumer';
import { registerNotificationRoutes } from './users/routes';
import { createUserHandler } from './users/user-handler';

export interface NotificationServiceDeps {
  store: EventStore;
  /** Who may access each room: this service's view of `room.access`. */
  access: RoomAccessView;
  bus: Bus;
  readModel: NotificationReadModel;
  checkpoints: CheckpointStore;
  sender: DeliverySender;
  vapidPublicKey: string;
  settings: Settings;
  logger: Logger;
  retry: { retryBaseMs: number; maxAttempts: number };
}

export interface NotificationService {
  /** REST under `/api/notifications` (the app authenticates `/api`). */
  registerRoutes(app: HttpApp): void;
  /** Creates the topics, then starts the relay, the projection and the consumers. */
  start(): Promise<void>;
  /** Stops what `start` started, in reverse order. Closing the stores and bus is the caller's. */
  stop(): Promise<void>;
  /** The parts not running (yet): empty when the service can take traffic. */
  notReady(): string[];
}

const PARTS = [
  'notification-relay',
  'notification-read-model',
  'notification-message-events',
  'notification-commands',
  'notification-presence',
  'notification-unread',
] as const;

const userIdOf = (data: unknown): string => (data as { user_id: string }).user_id;

export const createNotificationService = (deps: NotificationServiceDeps): NotificationService => {
  const { store, bus, readModel, checkpoints, settings, logger } = deps;
  const users = createUserHandler({ repository: new AggregateRepository(store, userDecider), readModel });
  const dispatcher = createDispatcher({
    readModel,
    deliveries: new AggregateRepository(store, deliveryDecider),
    users,
    sender: deps.sender,
    options: { ...deps.retry, enabled: () => settings.features.push_notifications },
    logger,
  });
  const announcer = createUnreadAnnouncer({ bus, readModel });
  const running: { name: (typeof PARTS)[number]; stop(): Promise<void> }[] = [];
  const run = async (
    name: (typeof PARTS)[number],
    start: () => Promise<{ stop(): Promise<void> }> | { stop(): Promise<void> },
  ) => {
    const part = await start();
    running.push({ name, stop: () => part.stop() });
  };

  return {
    registerRoutes: (app) =>
      registerNotificationRoutes(app, { users, readModel, vapidPublicKey: deps.vapidPublicKey }),

    async start() {
      await bus.ensureTopics(
        topicSpecs(
          Topics.notificationEvents,
          Topics.notificationCommands,
          Topics.messageEvents,
          Topics.presenceChanges,
          Topics.presenceSignals,
          Topics.notificationUnread,
        ),
      );
      await run('notification-relay', () =>
        startRelay({
          name: 'notification-relay',
          store,
          bus,
          checkpoints,
          streamPrefixes: [NotifyUserStreamPrefix, NotifyDeliveryStreamPrefix],
          topic: Topics.notificationEvents,
          keyOf: (event) => userIdOf(event.data),
          logger,
        }),
      );
      await run('notification-read-model', () =>
        runProjection(bus, notificationProjection(readModel, announcer.readMarkMoved), logger),
      );
      await run('notification-message-events', async () => {
        const consumer = await runProjection(bus, messageEventsConsumer(readModel, dispatcher), logger);
        return {
          stop: async () => {
            await consumer.stop();
            await dispatcher.stop();
          },
        };
      });
      await run('notification-commands', () => startCommandConsumer({ bus, users, readModel, logger }));
      await run('notification-presence', () =>
        startPresenceConsumer({
          bus,
          topic: Topics.presenceChanges,
          parse: presenceChangeOf,
          readModel,
          logger,
        }),
      );
      await run('notification-unread', () => startConnectionsConsumer({ bus, announcer, logger }));
      logger.info(
        { push_notifications: settings.features.push_notifications },
        'notification service started',
      );
    },

    async stop() {
      while (running.length > 0) await running.pop()!.stop();
    },

    notReady: () => PARTS.filter((part) => !running.some(({ name }) => name === part)),
  };
};
