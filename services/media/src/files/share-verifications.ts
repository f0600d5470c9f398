import { type Bus, type Consumer, eachRecord } from '@chat/bus';
import { compile, MediaCommandRecord, Topics, type MediaOutcome } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { FileHandler } from './file-handler';

const validRecord = compile(MediaCommandRecord);

const parse = (value: string): MediaCommandRecord | null => {
  try {
    const parsed: unknown = JSON.parse(value);
    return validRecord.check(parsed) ? parsed : null;
  } catch {
    return null;
  }
};

/**
 * Verifies the uploads the gateways are about to share (`media.commands`, keyed by file id) and
 * answers each on `media.outcomes`, keyed by the gateway that asked. A verdict is final, so a
 * redelivered command is answered the same; a malformed record is logged and skipped.
 */
export const startShareVerifications = async (deps: {
  bus: Bus;
  handler: Pick<FileHandler, 'verifyForShare'>;
  logger: Logger;
}): Promise<Consumer> => {
  const { bus, handler, logger } = deps;
  const consumer = await bus.consume({
    groupId: 'media-commands',
    topics: [Topics.mediaCommands],
    handleBatch: eachRecord(async (record) => {
      const value = parse(record.value);
      if (!value) {
        logger.warn({ partition: record.partition, offset: record.offset }, 'malformed media command');
        return;
      }
      const { command_id, reply_to, actor_id, correlation_id } = value;
      const verified = await handler.verifyForShare(
        // Who asks is the user the gateway authenticated; being an administrator changes nothing here.
        { userId: actor_id, isAdmin: false, correlationId: correlation_id },
        value.command.data.file_id,
      );
      const outcome: MediaOutcome = verified.ok
        ? { kind: 'verified', command_id, reply_to }
        : {
            kind: 'rejected',
            command_id,
            reply_to,
            code: verified.error.code,
            message: verified.error.message,
          };
      await bus.publish(Topics.mediaOutcomes, [{ key: reply_to, value: JSON.stringify(outcome) }]);
    }),
  });
  await consumer.ready;
  return consumer;
};
