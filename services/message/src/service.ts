import type { Bus } from '@chat/bus';
import { RoomStreamPrefix, Topics, topicSpecs, type MessageServiceCommand } from '@chat/contracts';
import { AggregateRepository, runProjection, startRelay, type CheckpointStore } from '@chat/event-sourcing';
import type { EventStore } from '@chat/eventstore';
import type { HttpApp, Logger, Registry, Settings } from '@chat/runtime';
import { createCommandHandler } from './commands/command-handler';
import { startCommandConsumer } from './commands/command-consumer';
import { startResumeConsumer } from './commands/resume-consumer';
import { verifiedFilesProjection } from './files/projection';
import { registerMessageRoutes } from './messages/routes';
import type { MessageReadModel } from './read-model/port';
import { readModelProjection } from './read-model/projection';
import { roomDecider } from './room-decider';
import { registerRoomRoutes } from './rooms/routes';

export interface MessageServiceDeps {
  store: EventStore;
  bus: Bus;
  readModel: MessageReadModel;
  checkpoints: CheckpointStore;
  settings: Settings;
  logger: Logger;
  registry: Registry;
}

export interface MessageService {
  /** REST rooms, memberships and history, under `/api/rooms` (the app authenticates `/api`). */
  registerRoutes(app: HttpApp): void;
  /** Creates the topics and the `general` room, then starts the relay, projection and consumers. */
  start(): Promise<void>;
  /** Stops what `start` started, in reverse order. Closing the store, bus and read model is the caller's. */
  stop(): Promise<void>;
  /** The parts not running (yet): empty when the service can take traffic. */
  notReady(): string[];
}

const TOPICS = topicSpecs(
  Topics.messageCommands,
  Topics.messageEvents,
  Topics.messageQueries,
  Topics.messageOutcomes,
  Topics.mediaEvents,
);

const PARTS = [
  'message-relay',
  'message-read-model',
  'message-verified-files',
  'message-commands',
  'message-resume',
] as const;

/** Every user finds this public room; the platform owns it. */
const GENERAL_ROOM: MessageServiceCommand = {
  type: 'CreateRoom',
  data: { room_id: 'general', name: 'General', private: false, members: [] },
};

export const createMessageService = (deps: MessageServiceDeps): MessageService => {
  const { store, bus, readModel, checkpoints, settings, logger, registry } = deps;
  const handler = createCommandHandler({
    repository: new AggregateRepository(store, roomDecider),
    settings,
    registry,
    verifiedFiles: readModel,
  });
  const running: { name: (typeof PARTS)[number]; stop(): Promise<void> }[] = [];

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

  const run = async (name: (typeof PARTS)[number], start: () => Promise<{ stop(): Promise<void> }>) => {
    const part = await start();
    running.push({ name, stop: () => part.stop() });
  };

  return {
    registerRoutes(app) {
      const rest = { handler, readModel, settings };
      registerRoomRoutes(app, rest);
      registerMessageRoutes(app, rest);
    },

    async start() {
      await bus.ensureTopics(TOPICS);
      await createGeneralRoom();
      await run('message-relay', () =>
        startRelay({
          name: 'message-relay',
          store,
          bus,
          checkpoints,
          streamPrefixes: [RoomStreamPrefix],
          topic: Topics.messageEvents,
          keyOf: (event) => event.streamName.slice(RoomStreamPrefix.length),
          logger,
        }),
      );
      await run('message-read-model', () => runProjection(bus, readModelProjection(readModel), logger));
      await run('message-verified-files', () =>
        runProjection(bus, verifiedFilesProjection(readModel), logger),
      );
      await run('message-commands', () => startCommandConsumer({ bus, handler, logger }));
      await run('message-resume', () => startResumeConsumer({ bus, readModel, logger }));
      logger.info('message service started');
    },

    async stop() {
      while (running.length > 0) await running.pop()!.stop();
    },

    notReady: () => PARTS.filter((part) => !running.some(({ name }) => name === part)),
  };
};
