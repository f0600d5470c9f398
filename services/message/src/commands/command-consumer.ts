import type { Bus, Consumer } from '@chat/bus';
import { compile, CommandRecord, Topics } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { CommandHandler } from './command-handler';
import { parseRecord } from './incoming-record';
import { commandOutcome, publishCommandOutcome } from './outcomes';

const validRecord = compile(CommandRecord);

/**
 * Decides the commands on `message.commands` and answers each on `message.outcomes`. The offset
 * is committed once the outcome is published; an infrastructure failure throws instead, and the
 * redelivered command is harmless because commands are idempotent.
 */
export const startCommandConsumer = async (deps: {
  bus: Bus;
  handler: CommandHandler;
  logger: Logger;
}): Promise<Consumer> => {
  const { bus, handler, logger } = deps;
  const consumer = await bus.consume({
    groupId: 'message-commands',
    topics: [Topics.messageCommands],
    handler: async (record) => {
      const parsed = parseRecord(record.value, validRecord);
      if (parsed.ok) {
        const { context, command } = parsed.value;
        await publishCommandOutcome(bus, commandOutcome(context, await handler.handle(context, command)));
        return;
      }
      const commandId = parsed.readable(['context', 'command_id']);
      logger.warn(
        { partition: record.partition, offset: record.offset, reason: parsed.reason },
        'malformed command',
      );
      if (commandId === null) return;
      const ids = {
        command_id: commandId,
        correlation_id: parsed.readable(['context', 'correlation_id']) ?? commandId,
        reply_to: parsed.readable(['context', 'reply_to']),
      };
      const error = { code: 'invalid_frame', message: `Malformed command: ${parsed.reason}` } as const;
      await publishCommandOutcome(bus, commandOutcome(ids, { ok: false, error }));
    },
  });
  await consumer.ready;
  return consumer;
};
