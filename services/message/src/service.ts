import type { Bus } from '@chat/bus';
import {
  RoomStreamPrefix,
  roomStream,
  Topics,
  topicSpecs,
  UserStreamPrefix,
  type MessageServiceCommand,
} from '@chat/contracts';
import {
  AggregateRepository,
  runProjection,
  startRelay,
  waitUntil,
  type CheckpointStore,
  type DerivedRecords,
  type Relay,
  type RunningProjection,
} from '@chat/event-sourcing';
import type { EventStore, RecordedEvent } from '@chat/eventstore';
import {
  eventStoreAppendObserver,
  ServiceParts,
  type HttpApp,
  type Logger,
  type RateLimiter,
  type Registry,
  type Settings,
} from '@chat/runtime';
import { logRefusedContent, openContents, openFileName, type ContentCipher } from '@chat/privacy';
import type { AuditReadModel } from './audit/application/port';
import { sealMessageEvents } from './messages/sealing';
import { auditLogOf } from './audit/audit-log';
import { createCommandHandler } from './commands/command-handler';
import { startCommandConsumer } from './commands/command-consumer';
import { startResumeConsumer } from './commands/resume-consumer';
import { registerDirectRoutes } from './direct/routes';
import { verifiedFilesProjection } from './files/projection';
import { registerMentionRoutes } from './mentions/routes';
import { registerModerationRoutes } from './moderation/routes';
import { registerReportRoutes } from './reports/routes';
import { erasureDecider } from './privacy/decide';
import { erasureProjection } from './privacy/erasure-projection';
import type { UserKeyShredder } from './privacy/key-shredder';
import { startLastSeenConsumer } from './privacy/last-seen-consumer';
import { registerPrivacyRoutes } from './privacy/routes';
import { suspensionDecider } from './suspensions/decide';
import { registerSuspensionRoutes } from './suspensions/routes';
import { registerMessageRoutes } from './messages/routes';
import type { KeyPackageDirectory } from './mls/key-packages/port';
import { registerMlsRoutes } from './mls/routes';
import { registerReactionRoutes } from './reactions/routes';
import { registerThreadRoutes } from './threads/routes';
import type { MessageReadModel } from './read-model/port';
import { readModelProjection } from './read-model/projection';
import { receiptsProjection } from './receipts/projection';
import { registerReceiptRoutes } from './receipts/routes';
import { CommandBacklog } from './rest/command-backlog';
import type { RestDeps } from './rest/routing';
import { retentionPolicyOf } from './retention/decide';
import type { RoomKeyShredder } from './retention/key-shredder';
import { startRetentionSweeper } from './retention/sweeper';
import { roomDecider } from './room-decider';
import { accessRecordOf, changesAccess } from './rooms/access-record';
import { registerRoomRoutes } from './rooms/routes';

export interface MessageServiceDeps {
  store: EventStore;
  bus: Bus;
  readModel: MessageReadModel;
  /** The audit log's records (`audit/`): SQLite embedded, MongoDB in the fleet. */
  audit: AuditReadModel;
  /** The MLS KeyPackage directory (`mls/`): SQLite embedded, MongoDB in the fleet. */
  keyPackages: KeyPackageDirectory;
  checkpoints: CheckpointStore;
  settings: Settings;
  logger: Logger;
  registry: Registry;
  /** Users' budgets for REST sends, edits and reactions, shared with the gateways. */
  limiter: RateLimiter;
  /** Destroys an erased user's data keys (the content cipher). */
  keys: UserKeyShredder;
  /** Seals what users write before it is stored, and opens it where history is read. */
  cipher: ContentCipher;
  /** Destroys rooms' content keys once their period passed the retention (the content cipher). */
  roomKeys: RoomKeyShredder;
}

export interface MessageService {
  /**
   * REST rooms, memberships, history and receipts under `/api/rooms`, direct rooms under
   * `/api/dms`, `/api/mentions` and `/api/mls` (the app authenticates `/api`).
   */
  registerRoutes(app: HttpApp): void;
  /** Creates the topics and the `general` room, then starts the relay, projection and consumers. */
  start(): Promise<void>;
  /** Stops what `start` started, in reverse order. Closing the store, bus and read model is the caller's. */
  stop(): Promise<void>;
  /** The parts not running (yet): empty when the service can take traffic. */
  notReady(): string[];
}

const TOPICS = topicSpecs(
  Topics.roomAccess,
  Topics.userSuspensions,
  Topics.userErasures,
  Topics.messageCommands,
  Topics.messageEvents,
  Topics.messageQueries,
  Topics.messageOutcomes,
  Topics.mediaEvents,
  Topics.notificationEvents,
  Topics.presenceChanges,
  Topics.authFailures,
);

const PARTS = [
  'message-relay',
  'message-user-relay',
  'message-read-model',
  'message-verified-files',
  'message-commands',
  'message-resume',
  'message-receipts',
  'message-audit',
  'message-erasures',
  'message-last-seen',
  'message-retention',
] as const;

const MINUTE_MS = 60_000;

const GENERAL_ROOM_VISIBLE_WAIT_MS = 10_000;

/** Every user finds this public room; the platform owns it. */
const GENERAL_ROOM: MessageServiceCommand = {
  type: 'CreateRoom',
  data: { room_id: 'general', name: 'General', private: false, members: [] },
};

/** Messages the cached room states may hold together, at about a hundred bytes each. */
const ROOM_CACHE_MESSAGES = 1_000_000;

export const createMessageService = (deps: MessageServiceDeps): MessageService => {
  const { store, bus, readModel, checkpoints, settings, logger, registry } = deps;
  const repository = new AggregateRepository(store, roomDecider, {
    // A room's state holds a few facts per message: the cache is bounded by messages, not rooms.
    weigh: (room) => room.lastSeq + 1,
    cacheWeight: ROOM_CACHE_MESSAGES,
    observeAppend: eventStoreAppendObserver(registry),
    beforeAppend: sealMessageEvents(deps.cipher),
  });
  const users = new AggregateRepository(store, suspensionDecider);
  const erasures = new AggregateRepository(store, erasureDecider);
  const parts = new ServiceParts(PARTS);
  let relay: Relay | undefined;
  let userRelay: Relay | undefined;
  let verifiedFiles: RunningProjection | undefined;
  let history: RunningProjection | undefined;
  const handler = createCommandHandler({
    repository,
    settings,
    registry,
    verifiedFiles: {
      // Names travel sealed from the media service; a share is checked against the name opened.
      findVerifiedFile: async (fileId) => {
        const verified = await readModel.findVerifiedFile(fileId);
        return (
          verified && { ...verified, file_name: await openFileName(deps.cipher, fileId, verified.file_name) }
        );
      },
      caughtUp: async (timeoutMs) => (verifiedFiles ? verifiedFiles.caughtUp(timeoutMs) : false),
    },
  });

  const createGeneralRoom = async () => {
    // A fixed command id: every instance, on every start, issues the very same command.
    const command_id = 'bootstrap:general';
    const context = {
      command_id,
      correlation_id: command_id,
      actor_id: 'system',
      actor_is_admin: false,
      issued_at: new Date().toISOString(),
      reply_to: null,
    };
    const handled = await handler.handle(context, GENERAL_ROOM);
    if (!handled.ok && handled.error.code !== 'room_exists') {
      throw new Error(`Could not create the general room: ${handled.error.message}`);
    }
  };

  /** Ready means readable: the read model shows the general room before the service says it is ready. */
  const generalRoomVisible = async () => {
    const shown = await waitUntil(
      async () => (await readModel.findRoom('general', 'system')) !== null,
      (ms) => history!.nextApplied(ms),
      GENERAL_ROOM_VISIBLE_WAIT_MS,
    );
    if (!shown) logger.warn('the general room is not in the read model yet; starting anyway');
  };

  /** Every room whose access the events changed, as it stands now: published on `room.access` before the events. */
  const accessRecords = async (events: RecordedEvent[]): Promise<DerivedRecords[]> => {
    const rooms = new Set(events.filter(changesAccess).map((event) => roomIdOf(event.streamName)));
    if (rooms.size === 0) return [];
    const records = await Promise.all(
      [...rooms].map(async (roomId) => accessRecordOf(roomId, await repository.load(roomStream(roomId)))),
    );
    return [
      {
        topic: Topics.roomAccess,
        records: records.map((record) => ({ key: record.room_id, value: JSON.stringify(record) })),
      },
    ];
  };

  const audit = auditLogOf({
    store,
    bus,
    readModel: deps.audit,
    lookups: {
      senderOf: async (roomId, messageId) =>
        (await repository.load(roomStream(roomId))).state.messages.get(messageId)?.senderId,
    },
    ownership: {
      roomsOwnedBy: async (userId) =>
        (await readModel.listRoomsVisibleTo(userId))
          .filter((room) => room.owner_id === userId)
          .map((room) => room.room_id),
      ownsRoom: async (roomId, userId) => (await readModel.findRoom(roomId, userId))?.owner_id === userId,
    },
    logger,
  });

  return {
    registerRoutes(app) {
      const rest: RestDeps = {
        handler,
        readModel,
        rooms: repository,
        settings,
        limiter: deps.limiter,
        openMessages: (messages) => openContents(deps.cipher, messages, logRefusedContent(logger)),
        historyApplied: (ms) => history?.nextApplied(ms) ?? new Promise((resolve) => setTimeout(resolve, ms)),
        backlog: new CommandBacklog(),
      };
      registerRoomRoutes(app, rest);
      registerModerationRoutes(app, rest);
      registerReportRoutes(app, rest);
      registerSuspensionRoutes(app, {
        users,
        published: (position, timeoutMs) =>
          userRelay?.published(position, timeoutMs) ?? Promise.resolve(false),
      });
      registerPrivacyRoutes(app, {
        users: erasures,
        readModel,
        audit: deps.audit,
        keys: deps.keys,
        openMessages: rest.openMessages,
        openFileName: (fileId, name) => openFileName(deps.cipher, fileId, name),
        published: (position, timeoutMs) =>
          userRelay?.published(position, timeoutMs) ?? Promise.resolve(false),
      });
      registerMessageRoutes(app, rest);
      registerDirectRoutes(app, rest);
      registerReactionRoutes(app, rest);
      registerThreadRoutes(app, rest);
      registerReceiptRoutes(app, rest);
      registerMentionRoutes(app, rest);
      registerMlsRoutes(app, { ...rest, keyPackages: deps.keyPackages });
      audit.registerRoutes(app);
    },

    async start() {
      await bus.ensureTopics(TOPICS);
      await createGeneralRoom();
      relay = await parts.start('message-relay', () =>
        startRelay({
          name: 'message-relay',
          store,
          bus,
          checkpoints,
          streamPrefixes: [RoomStreamPrefix],
          topic: Topics.messageEvents,
          keyOf: (event) => roomIdOf(event.streamName),
          derive: accessRecords,
          logger,
        }),
      );
      // Users' streams have a relay of their own: suspensions and erasures each go to a compacted topic.
      userRelay = await parts.start('message-user-relay', () =>
        startRelay({
          name: 'user-relay',
          store,
          bus,
          checkpoints,
          streamPrefixes: [UserStreamPrefix],
          topic: (event) => (event.type === 'UserErased' ? Topics.userErasures : Topics.userSuspensions),
          keyOf: (event) => event.streamName.slice(UserStreamPrefix.length),
          logger,
        }),
      );
      history = await parts.start('message-read-model', () =>
        runProjection(bus, readModelProjection(readModel), logger),
      );
      verifiedFiles = await parts.start('message-verified-files', () =>
        runProjection(bus, verifiedFilesProjection(readModel), logger),
      );
      const published = relay.published;
      await parts.start('message-commands', () =>
        startCommandConsumer({ bus, handler, published, cipher: deps.cipher, logger }),
      );
      await parts.start('message-resume', () =>
        startResumeConsumer({ bus, readModel, rooms: repository, logger, registry }),
      );
      await parts.start('message-receipts', () => runProjection(bus, receiptsProjection(readModel), logger));
      await parts.start('message-audit', () => audit.start());
      await parts.start('message-erasures', () => runProjection(bus, erasureProjection(readModel), logger));
      await parts.start('message-last-seen', () => startLastSeenConsumer({ bus, readModel, logger }));
      await parts.start('message-retention', async () =>
        startRetentionSweeper({
          bus,
          readModel,
          keys: deps.roomKeys,
          policy: retentionPolicyOf(settings),
          maxRooms: settings.messages.retention_sweep_max_rooms,
          everyMs: settings.messages.retention_sweep_interval_minutes * MINUTE_MS,
          now: Date.now,
          logger,
        }),
      );
      await generalRoomVisible();
      logger.info('message service started');
    },

    stop: () => parts.stopAll(),

    notReady: () => parts.notRunning(),
  };
};

const roomIdOf = (streamName: string) => streamName.slice(RoomStreamPrefix.length);
