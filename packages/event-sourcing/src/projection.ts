import type { Bus, Consumer } from '@chat/bus';
import { RECORD_KIND_HEADER, type EventRecord } from '@chat/contracts';
import type { Logger } from 'pino';

/**
 * A projection turns a service's events into a read model. `apply` must be idempotent: the bus
 * delivers at least once, so the same (stream, revision) can arrive again after a crash.
 */
export interface Projection {
  /** Also the consumer group: each projection keeps its own offsets. */
  name: string;
  topics: string[];
  /** Receives domain events only: the runner skips the other records of an event topic. */
  apply(event: EventRecord): Promise<void>;
}

export const runProjection = async (bus: Bus, projection: Projection, logger: Logger): Promise<Consumer> => {
  const consumer = await bus.consume({
    groupId: projection.name,
    topics: projection.topics,
    startFrom: 'earliest',
    handler: async (record) => {
      if (record.headers[RECORD_KIND_HEADER] !== undefined) return;
      const event = JSON.parse(record.value) as EventRecord;
      try {
        await projection.apply(event);
      } catch (error) {
        logger.error(
          { err: error, projection: projection.name, stream: event.stream, revision: event.revision },
          'projection failed; the event will be redelivered',
        );
        throw error;
      }
    },
  });
  await consumer.ready;
  logger.info({ projection: projection.name }, 'projection running');
  return consumer;
};
