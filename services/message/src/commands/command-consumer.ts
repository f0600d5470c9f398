import { recordContext, type Bus, type Consumer, type IncomingRecord } from '@chat/bus';
import { compile, CommandRecord, Topics } from '@chat/contracts';
import { comparePositions } from '@chat/eventstore';
import type { ContentCipher } from '@chat/privacy';
import type { Logger } from '@chat/runtime';
import { openCommandContent } from '../messages/sealing';
import type { CommandHandler, CommandToHandle, Handled } from './command-handler';
import { parseRecord } from './incoming-record';
import { commandOutcome, publishCommandOutcomes, type CommandOutcome } from './outcomes';

const validRecord = compile(CommandRecord);

/** How long outcomes wait for the relay to publish an access change before they go out anyway. */
const ACCESS_PUBLISHED_WAIT_MS = 5_000;

export interface CommandConsumerDeps {
  bus: Bus;
  handler: CommandHandler;
  /** Resolves once the relay has published every event up to the position (false: not in time). */
  published(position: string, timeoutMs: number): Promise<boolean>;
  /** Opens the content the gateways sealed into commands. */
  cipher: ContentCipher;
  logger: Logger;
}

/** A malformed command's refusal, addressed to its sender when its ids can be read. */
const refusalOf = (record: IncomingRecord, reason: string, readable: (path: string[]) => string | null) => {
  const commandId = readable(['context', 'command_id']);
  if (commandId === null) return null;
  const ids = {
    command_id: commandId,
    correlation_id: readable(['context', 'correlation_id']) ?? commandId,
    reply_to: readable(['context', 'reply_to']),
  };
  const error = { code: 'invalid_frame', message: `Malformed command: ${reason}` } as const;
  return commandOutcome(ids, { ok: false, error });
};

/** A record's command with its content opened, or why it cannot be decided (and the answer, if any). */
const readCommand = async (
  record: IncomingRecord,
  cipher: ContentCipher,
): Promise<
  { ok: true; command: CommandToHandle } | { ok: false; reason: string; refusal: CommandOutcome | null }
> => {
  const parsed = parseRecord(record.value, validRecord);
  if (!parsed.ok) {
    return { ok: false, reason: parsed.reason, refusal: refusalOf(record, parsed.reason, parsed.readable) };
  }
  const { context } = parsed.value;
  const content = await openCommandContent(cipher, context, parsed.value.command);
  if (content.ok)
    return { ok: true, command: { context, command: content.command, trace: recordContext(record) } };
  const error = { code: 'invalid_frame', message: `Malformed command: ${content.reason}` } as const;
  return { ok: false, reason: content.reason, refusal: commandOutcome(context, { ok: false, error }) };
};

/** The furthest position among accepted commands that changed who may access a room. */
const accessChangedUpTo = (handled: Handled[]): string | null =>
  handled.reduce<string | null>((furthest, each) => {
    if (!each.ok || !each.changedAccess || each.position === null) return furthest;
    return furthest === null || comparePositions(each.position, furthest) > 0 ? each.position : furthest;
  }, null);

/**
 * Decides the commands on `message.commands` a batch at a time (each room's commands in order,
 * on one load, in one append) and answers them on `message.outcomes` in one publish. A batch that
 * changed a room's access is answered once the relay has published the change, so whatever the
 * client does next — upload to the room, search it — meets a service that can know it. The offset
 * is committed once the outcomes are published; an infrastructure failure throws instead, and the
 * redelivered commands are harmless because commands are idempotent.
 */
export const startCommandConsumer = async (deps: CommandConsumerDeps): Promise<Consumer> => {
  const { bus, handler, logger } = deps;
  const consumer = await bus.consume({
    groupId: 'message-commands',
    topics: [Topics.messageCommands],
    handleBatch: async ({ records }) => {
      const outcomes: (CommandOutcome | null)[] = [];
      const commands: { at: number; command: CommandToHandle }[] = [];
      const read = await Promise.all(records.map((record) => readCommand(record, deps.cipher)));
      read.forEach((each, i) => {
        if (each.ok) {
          commands.push({ at: outcomes.length, command: each.command });
          outcomes.push(null);
          return;
        }
        const { partition, offset } = records[i]!;
        logger.warn({ partition, offset, reason: each.reason }, 'malformed command');
        outcomes.push(each.refusal);
      });
      const handled = await handler.handleBatch(commands.map(({ command }) => command));
      handled.forEach((each, i) => {
        const { at, command } = commands[i]!;
        outcomes[at] = commandOutcome(command.context, each);
      });
      const accessPosition = accessChangedUpTo(handled);
      if (accessPosition !== null && !(await deps.published(accessPosition, ACCESS_PUBLISHED_WAIT_MS))) {
        logger.warn(
          { position: accessPosition },
          'relay has not published an access change yet; answering anyway',
        );
      }
      await publishCommandOutcomes(
        bus,
        outcomes.flatMap((outcome) => outcome ?? []),
      );
    },
  });
  await consumer.ready;
  return consumer;
};
