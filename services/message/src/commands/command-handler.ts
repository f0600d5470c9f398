import {
  compile,
  compileContentFilter,
  MessageServiceCommands,
  reject,
  roomStream,
  type CommandContext,
  type EditResult,
  type MessageServiceCommandType,
  type ReactionResult,
  type Rejection,
  type RoomResult,
  type SendResult,
  type Validator,
  type VerifiedFile,
} from '@chat/contracts';
import type { TraceContext } from '@chat/bus';
import type { AggregateRepository, Executed } from '@chat/event-sourcing';
import { BATCH_SIZE_BUCKETS, counter, histogram, type Registry, type Settings } from '@chat/runtime';
import { cleanContent } from '../messages/content';
import { originalSend } from '../messages/decide';
import { originalEdit } from '../messages/edit';
import { reactionResultOf } from '../reactions/react';
import type { RoomCommand, RoomEvent } from '../room-command';
import { retentionPolicyOf } from '../retention/decide';
import { changesAccess } from '../rooms/access-record';
import type { RoomState } from '../rooms/room';

export type RoomRepository = AggregateRepository<RoomCommand, RoomEvent, RoomState>;
type SendMessageData = Extract<RoomCommand, { type: 'SendMessage' }>['data'];

/** A command as it arrives, from the bus or from a REST route: not yet validated. */
export interface IncomingCommand {
  type: string;
  data: unknown;
}

export type Handled =
  | {
      ok: true;
      result: SendResult | EditResult | RoomResult | ReactionResult;
      /** The room after the command, and the stream revision it was read at. */
      state: RoomState;
      revision: number | null;
      /** Where the append that carried its events ended in the store; null when it appended nothing. */
      position: string | null;
      /** Whether its events changed who may access the room (members, privacy, existence). */
      changedAccess: boolean;
    }
  | { ok: false; error: Rejection };

/** A command to decide, with who issued it. */
export interface CommandToHandle {
  context: CommandContext;
  command: IncomingCommand;
  /** The trace the command arrived in (its record's span), when not the active one. */
  trace?: TraceContext;
}

export interface CommandHandler {
  /** Rejections are values; only infrastructure failures throw (the caller retries, idempotently). */
  handle(context: CommandContext, command: IncomingCommand): Promise<Handled>;
  /**
   * Decides a batch: the commands of each room in order, on one load of its state, and every
   * room's events in one append. Answers in the order of `commands`.
   */
  handleBatch(commands: CommandToHandle[]): Promise<Handled[]>;
}

/** This service's view of the media service's verified uploads, which file messages may share. */
export interface VerifiedFiles {
  findVerifiedFile(fileId: string): Promise<VerifiedFile | null>;
  /** Resolves once the view holds every upload verified before the call (false: not within the time). */
  caughtUp(timeoutMs: number): Promise<boolean>;
}

const validators = Object.fromEntries(
  Object.entries(MessageServiceCommands).map(([type, schema]) => [type, compile(schema)]),
) as Record<MessageServiceCommandType, Validator<(typeof MessageServiceCommands)[MessageServiceCommandType]>>;

const isCommandType = (type: string): type is MessageServiceCommandType => Object.hasOwn(validators, type);
const labelOf = (type: string) => (isCommandType(type) ? type : 'unknown');

/** A send is answered with its message, the original one for a repeated command. */
const sendResultOf = (
  command: Extract<RoomCommand, { type: 'SendMessage' }>,
  executed: Executed<RoomEvent, RoomState>,
) => {
  const event = executed.events.find((each) => each.type === 'MessageSent');
  if (event?.type === 'MessageSent') {
    const { room_id, message_id, seq, created_at, client_msg_id, thread_id } = event.data;
    return {
      kind: 'message_sent',
      room_id,
      message_id,
      seq,
      created_at,
      client_msg_id,
      duplicate: false,
      ...(thread_id ? { thread_id } : {}),
    } as const;
  }
  const original = originalSend(command, executed.state);
  if (!original) {
    throw new Error(`SendMessage ${command.context.command_id} decided nothing and matches no earlier send`);
  }
  const threadId = executed.state.messages.get(original.message_id)?.threadId;
  return {
    kind: 'message_sent',
    room_id: command.data.room_id,
    ...original,
    duplicate: true,
    ...(threadId ? { thread_id: threadId } : {}),
  } as const;
};

/** An edit is answered with the content as stored, the original edit for a repeated command. */
const editResultOf = (
  command: Extract<RoomCommand, { type: 'EditMessage' }>,
  executed: Executed<RoomEvent, RoomState>,
): EditResult => {
  const event = executed.events.find((each) => each.type === 'MessageEdited');
  if (event?.type === 'MessageEdited') {
    const { room_id, message_id, seq, content, edited_at } = event.data;
    return { kind: 'message_edited', room_id, message_id, seq, content, edited_at, duplicate: false };
  }
  const original = originalEdit(command, executed.state);
  if (!original) {
    throw new Error(`EditMessage ${command.context.command_id} decided nothing and matches no earlier edit`);
  }
  return {
    kind: 'message_edited',
    room_id: command.data.room_id,
    ...original,
    content: cleanContent(command.data.content),
    duplicate: true,
  };
};

const resultOf = (
  command: RoomCommand,
  executed: Executed<RoomEvent, RoomState>,
): SendResult | EditResult | RoomResult | ReactionResult => {
  if (command.type === 'SendMessage') return sendResultOf(command, executed);
  if (command.type === 'EditMessage') return editResultOf(command, executed);
  if (command.type === 'ReactToMessage') return reactionResultOf(command, executed.state, executed.events);
  return { kind: 'room', room_id: command.data.room_id, last_seq: executed.state.lastSeq };
};

/** How long a file message waits for this service to learn of an upload verified a moment ago. */
const VERIFIED_FILES_WAIT_MS = 5_000;

/**
 * Decides commands on their rooms' streams. The bus consumer and the REST routes both come
 * through here, so a command behaves the same whichever way it arrived.
 */
export const createCommandHandler = (deps: {
  repository: RoomRepository;
  settings: Settings;
  registry: Registry;
  verifiedFiles: VerifiedFiles;
}): CommandHandler => {
  const contentFilter = compileContentFilter(deps.settings.moderation, { patterns: true });
  const retention = retentionPolicyOf(deps.settings);
  const commands = counter(deps.registry, 'chat_commands_total', 'Commands decided, by type and outcome.', [
    'type',
    'outcome',
  ]);
  const batchSeconds = histogram(
    deps.registry,
    'chat_command_batch_seconds',
    'Time to load the rooms of a batch of commands, decide them and append their events.',
  );
  const batchSize = histogram(
    deps.registry,
    'chat_command_batch_size',
    'Commands decided together.',
    [],
    BATCH_SIZE_BUCKETS,
  );

  const refuse = (type: string, error: Rejection): Handled => {
    commands.inc({ type, outcome: 'rejected' });
    return { ok: false, error };
  };

  /** The file a file message shares, as this service knows it — waiting for a just-verified one to arrive. */
  const sharedFileOf = async (incoming: IncomingCommand): Promise<VerifiedFile | null> => {
    const fileId =
      incoming.type === 'SendMessage' ? (incoming.data as SendMessageData).file?.file_id : undefined;
    if (!fileId) return null;
    const known = await deps.verifiedFiles.findVerifiedFile(fileId);
    if (known || !(await deps.verifiedFiles.caughtUp(VERIFIED_FILES_WAIT_MS))) return known;
    return deps.verifiedFiles.findVerifiedFile(fileId);
  };

  /** The command as the decider takes it, or why it cannot be decided at all. */
  const prepare = async ({
    context,
    command: incoming,
  }: CommandToHandle): Promise<RoomCommand | Rejection> => {
    if (!isCommandType(incoming.type))
      return reject('unknown_type', `Unknown command type "${incoming.type}".`);
    const validator = validators[incoming.type];
    if (!validator.check(incoming.data)) {
      return reject('invalid_frame', validator.explain(incoming.data) ?? 'Invalid command.');
    }
    const sharedFile = await sharedFileOf(incoming);
    return {
      type: incoming.type,
      data: incoming.data,
      context: {
        ...context,
        decided_at: new Date().toISOString(),
        max_message_length: deps.settings.messages.max_message_length,
        content_filter: contentFilter,
        retention,
        ...(sharedFile ? { shared_file: sharedFile } : {}),
      },
    } as RoomCommand;
  };

  const handleBatch = async (batch: CommandToHandle[]): Promise<Handled[]> => {
    const prepared = await Promise.all(batch.map(prepare));
    const decidable = prepared.flatMap((command, index) => ('type' in command ? [{ command, index }] : []));
    const endTimer = batchSeconds.startTimer();
    batchSize.observe(decidable.length);
    const executed = await deps.repository
      .executeMany(
        decidable.map(({ command, index }) => ({
          streamName: roomStream(command.data.room_id),
          command,
          commandId: command.context.command_id,
          trace: batch[index]!.trace,
          metadata: {
            correlation_id: command.context.correlation_id,
            causation_id: command.context.command_id,
            actor_id: command.context.actor_id,
          },
        })),
      )
      .catch((error: unknown) => {
        for (const { command } of decidable) commands.inc({ type: command.type, outcome: 'failed' });
        throw error;
      })
      .finally(endTimer);
    // Only known types become label values: the type comes off the wire.
    const handled: Handled[] = [];
    prepared.forEach((command, index) => {
      if (!('type' in command)) handled[index] = refuse(labelOf(batch[index]!.command.type), command);
    });
    decidable.forEach(({ command, index }, i) => {
      const outcome = executed[i]!;
      if (!outcome.ok) {
        handled[index] = refuse(command.type, outcome.error);
        return;
      }
      commands.inc({ type: command.type, outcome: 'accepted' });
      const { state, revision, position, events } = outcome.value;
      handled[index] = {
        ok: true,
        result: resultOf(command, outcome.value),
        state,
        revision,
        position,
        changedAccess: events.some(changesAccess),
      };
    });
    return handled;
  };

  return {
    handleBatch,
    handle: async (context, command) => (await handleBatch([{ context, command }]))[0]!,
  };
};
