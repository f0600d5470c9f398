import {
  compile,
  MessageServiceCommands,
  reject,
  roomStream,
  type CommandContext,
  type EditResult,
  type MessageServiceCommandType,
  type Rejection,
  type RoomResult,
  type SendResult,
  type Validator,
} from '@chat/contracts';
import type { AggregateRepository, Executed } from '@chat/event-sourcing';
import { counter, histogram, type Registry, type Settings } from '@chat/runtime';
import { cleanContent } from '../messages/content';
import { originalSend } from '../messages/decide';
import { originalEdit } from '../messages/edit';
import type { MessageReadModel } from '../read-model/port';
import type { RoomCommand, RoomEvent } from '../room-command';
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
      result: SendResult | EditResult | RoomResult;
      /** The room after the command, and the stream revision it was read at. */
      state: RoomState;
      revision: number | null;
    }
  | { ok: false; error: Rejection };

export interface CommandHandler {
  /** Rejections are values; only infrastructure failures throw (the caller retries, idempotently). */
  handle(context: CommandContext, command: IncomingCommand): Promise<Handled>;
}

const validators = Object.fromEntries(
  Object.entries(MessageServiceCommands).map(([type, schema]) => [type, compile(schema)]),
) as Record<MessageServiceCommandType, Validator<(typeof MessageServiceCommands)[MessageServiceCommandType]>>;

const isCommandType = (type: string): type is MessageServiceCommandType => Object.hasOwn(validators, type);

/** A send is answered with its message, the original one for a repeated command. */
const sendResultOf = (
  command: Extract<RoomCommand, { type: 'SendMessage' }>,
  executed: Executed<RoomEvent, RoomState>,
) => {
  const event = executed.events.find((each) => each.type === 'MessageSent');
  if (event?.type === 'MessageSent') {
    const { room_id, message_id, seq, created_at, client_msg_id } = event.data;
    return {
      kind: 'message_sent',
      room_id,
      message_id,
      seq,
      created_at,
      client_msg_id,
      duplicate: false,
    } as const;
  }
  const original = originalSend(command, executed.state);
  if (!original) {
    throw new Error(`SendMessage ${command.context.command_id} decided nothing and matches no earlier send`);
  }
  return { kind: 'message_sent', room_id: command.data.room_id, ...original, duplicate: true } as const;
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
): SendResult | EditResult | RoomResult => {
  if (command.type === 'SendMessage') return sendResultOf(command, executed);
  if (command.type === 'EditMessage') return editResultOf(command, executed);
  return { kind: 'room', room_id: command.data.room_id, last_seq: executed.state.lastSeq };
};

/**
 * Decides one command on its room's stream. The bus consumer and the REST routes both come
 * through here, so a command behaves the same whichever way it arrived.
 */
export const createCommandHandler = (deps: {
  repository: RoomRepository;
  settings: Settings;
  registry: Registry;
  /** This service's view of the media service's verified uploads, for file messages. */
  verifiedFiles: Pick<MessageReadModel, 'findVerifiedFile'>;
}): CommandHandler => {
  const commands = counter(deps.registry, 'chat_commands_total', 'Commands decided, by type and outcome.', [
    'type',
    'outcome',
  ]);
  const appendSeconds = histogram(
    deps.registry,
    'chat_append_seconds',
    'Time to load a room, decide a command and append its events.',
    ['type'],
  );

  const refuse = (type: string, error: Rejection): Handled => {
    commands.inc({ type, outcome: 'rejected' });
    return { ok: false, error };
  };

  return {
    async handle(context, incoming) {
      // Only known types become label values: the type comes off the wire.
      if (!isCommandType(incoming.type)) {
        return refuse('unknown', reject('unknown_type', `Unknown command type "${incoming.type}".`));
      }
      const type = incoming.type;
      const validator = validators[type];
      if (!validator.check(incoming.data)) {
        return refuse(type, reject('invalid_frame', validator.explain(incoming.data) ?? 'Invalid command.'));
      }
      const sharedFileId =
        type === 'SendMessage' ? (incoming.data as SendMessageData).file?.file_id : undefined;
      const sharedFile = sharedFileId ? await deps.verifiedFiles.findVerifiedFile(sharedFileId) : null;
      const command = {
        type,
        data: incoming.data,
        context: {
          ...context,
          decided_at: new Date().toISOString(),
          max_message_length: deps.settings.messages.max_message_length,
          ...(sharedFile ? { shared_file: sharedFile } : {}),
        },
      } as RoomCommand;

      const endTimer = appendSeconds.startTimer({ type });
      const executed = await deps.repository
        .execute(roomStream(command.data.room_id), command, {
          commandId: context.command_id,
          metadata: {
            correlation_id: context.correlation_id,
            causation_id: context.command_id,
            actor_id: context.actor_id,
          },
        })
        .catch((error: unknown) => {
          commands.inc({ type, outcome: 'failed' });
          throw error;
        })
        .finally(endTimer);
      if (!executed.ok) return refuse(type, executed.error);

      commands.inc({ type, outcome: 'accepted' });
      const { state, revision } = executed.value;
      return { ok: true, result: resultOf(command, executed.value), state, revision };
    },
  };
};
