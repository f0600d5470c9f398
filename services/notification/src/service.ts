import type { ContentCipher } from '@chat/privacy';
import type { RoomAccessView } from '@chat/room-access';
import type { Bus, Consumer } from '@chat/bus';
import { NotifyDeliveryStreamPrefix, NotifyUserStreamPrefix, Topics, topicSpecs } from '@chat/contracts';
import {
  AggregateRepository,
  runProjection,
  startRelay,
  type CheckpointStore,
  type Relay,
} from '@chat/event-sourcing';
import type { EventStore } from '@chat/eventstore';
import { ServiceParts, type HttpApp, type Logger, type Registry, type Settings } from '@chat/runtime';
import { startCommandConsumer } from './commands/command-consumer';
import { countedSender } from './deliveries/counted-sender';
import { deliveryDecider } from './deliveries/decide';
import { destinationPolicy } from './deliveries/destinations';
import { createDispatcher } from './deliveries/dispatcher';
import { messageEventsConsumer } from './deliveries/message-events';
import type { DeliverySender } from './deliveries/sender';
import { presenceChangeOf, startPresenceConsumer } from './presence/presence-consumer';
import type { NotificationReadModel } from './read-model/port';
import { notificationProjection } from './read-model/projections';
import { createReceiptPublisher } from './receipts/receipt-publisher';
import { userDecider } from './users/decide';
import { createUnreadAnnouncer } from './unread/announcer';
import { startConnectionsConsumer } from './unread/connections-consumer';
import { unreadCountsFrom } from './unread/unread-counts';
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
  registry: Registry;
  retry: { retryBaseMs: number; maxAttempts: number };
  /** Opens the content of new messages for the pushes' previews. */
  cipher: ContentCipher;
}

export interface NotificationService {
  /** REST under `/api/notifications` (the app authenticates `/api`). */
  registerRoutes(app: HttpApp): void;
  /** Creates the topics, then starts the relay, the projection and the consumers. */
  start(): Promise<void>;
  /** Stops what `start` started, in reverse order. Closing the stores and bus is the caller's. */
  stop(): Promise<void>;
  /** The parts not running (yet), the room access view included: empty when the service can take traffic. */
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

/** How long a `mark_read` beyond the newest seq known waits for `message.events` before it is refused. */
const LAST_SEQ_CATCH_UP_MS = 2_000;
/** How long resuming pending deliveries waits for the relay and the read model to show them all. */
const RESUME_CATCH_UP_MS = 30_000;

export const createNotificationService = (deps: NotificationServiceDeps): NotificationService => {
  const { store, access, bus, readModel, checkpoints, settings, logger } = deps;
  const users = createUserHandler({ repository: new AggregateRepository(store, userDecider), readModel });
  const dispatcher = createDispatcher({
    readModel,
    access,
    deliveries: new AggregateRepository(store, deliveryDecider),
    users,
    sender: countedSender(deps.sender, deps.registry),
    options: { ...deps.retry, enabled: () => settings.features.push_notifications },
    logger,
    cipher: deps.cipher,
  });
  const unreadCounts = unreadCountsFrom({ access, readModel });
  const announcer = createUnreadAnnouncer({ bus, unreadCounts });
  const receipts = createReceiptPublisher({ bus, logger });
  const parts = new ServiceParts(PARTS);
  let messageEvents: Consumer | undefined;
  let projection: Consumer | undefined;

  /** A read just after a message may come before this service saw the message: catch up, then judge. */
  const lastSeq = async (userId: string, roomId: string, wanted: number) => {
    const known = async () => (await unreadCounts(userId, roomId))[0]?.last_seq ?? 0;
    const seq = await known();
    if (wanted <= seq || !messageEvents) return seq;
    await messageEvents.caughtUp(LAST_SEQ_CATCH_UP_MS);
    return known();
  };

  return {
    registerRoutes: (app) =>
      registerNotificationRoutes(app, {
        users,
        readModel,
        unreadCounts,
        vapidPublicKey: deps.vapidPublicKey,
        destinations: destinationPolicy(settings.notification.allowed_hosts),
      }),

    async start() {
      await bus.ensureTopics(
        topicSpecs(
          Topics.notificationEvents,
          Topics.notificationCommands,
          Topics.messageEvents,
          Topics.presenceChanges,
          Topics.presenceSignals,
          Topics.notificationUnread,
          Topics.notificationReceipts,
          Topics.notificationOutcomes,
        ),
      );
      const relay: Relay = await parts.start('notification-relay', () =>
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
      await parts.start('notification-read-model', async () => {
        const consumer = await runProjection(
          bus,
          notificationProjection(readModel, announcer.readMarkMoved, receipts.read),
          logger,
        );
        projection = consumer;
        return {
          stop: async () => {
            await consumer.stop();
            await receipts.stop();
          },
        };
      });
      await parts.start('notification-message-events', async () => {
        const consumer = await runProjection(
          bus,
          messageEventsConsumer(readModel, dispatcher, { cipher: deps.cipher, logger }),
          logger,
        );
        messageEvents = consumer;
        return {
          stop: async () => {
            await consumer.stop();
            await dispatcher.stop();
          },
        };
      });
      await parts.start('notification-commands', () =>
        startCommandConsumer({ bus, users, access, lastSeq, logger }),
      );
      await parts.start('notification-presence', () =>
        startPresenceConsumer({
          bus,
          topic: Topics.presenceChanges,
          parse: presenceChangeOf,
          readModel,
          logger,
        }),
      );
      await parts.start('notification-unread', () => startConnectionsConsumer({ bus, announcer, logger }));
      // Retries were timers of the process that stopped: the read model lists what they were for,
      // once the relay published every delivery event stored and the projection applied them.
      dispatcher.resumePending(async () => {
        const stored = await store.lastPosition({ streamPrefixes: [NotifyDeliveryStreamPrefix] });
        if (stored !== null) await relay.published(stored, RESUME_CATCH_UP_MS);
        await projection?.caughtUp(RESUME_CATCH_UP_MS);
      });
      logger.info(
        { push_notifications: settings.features.push_notifications },
        'notification service started',
      );
    },

    stop: () => parts.stopAll(),

    notReady: () => [...parts.notRunning(), ...access.notReady()],
  };
};
