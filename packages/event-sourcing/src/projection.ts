import {
  ProgressSignal,
  recordContext,
  startSpanFor,
  withSpan,
  type Bus,
  type Consumer,
  type IncomingRecord,
} from '@chat/bus';
import { compile, EventRecord, RECORD_KIND_HEADER } from '@chat/contracts';
import type { Logger } from 'pino';

/**
 * A projection turns a service's events into a read model, a batch at a time. `applyBatch` must
 * be idempotent: the bus delivers at least once, so the same (stream, revision) can arrive again
 * after a crash, in the middle of a batch or with a batch that was applied in part.
 */
export interface Projection {
  /** Also the consumer group: each projection keeps its own offsets. */
  name: string;
  topics: string[];
  /**
   * Applies the domain events of one partition's batch, in order, in one transaction or bulk
   * call where the engine allows. Receives domain events only: the runner skips the other
   * records of an event topic.
   */
  applyBatch(events: EventRecord[]): Promise<void>;
}

export interface RunningProjection extends Consumer {
  /** Resolves when this process has applied its next batch, or after `ms`: for waits on the read model. */
  nextApplied(ms: number): Promise<void>;
}

const validEvent = compile(EventRecord);

/** The event a record carries; a record that is not one fails its batch (and is dead-lettered). */
const eventOf = (record: IncomingRecord): EventRecord => {
  const value: unknown = JSON.parse(record.value);
  if (!validEvent.check(value)) {
    throw new TypeError(`Not an event record: ${validEvent.explain(value) ?? 'invalid'}`);
  }
  return value;
};

export const runProjection = async (
  bus: Bus,
  projection: Projection,
  logger: Logger,
): Promise<RunningProjection> => {
  const applied = new ProgressSignal();
  const consumer = await bus.consume({
    groupId: projection.name,
    topics: projection.topics,
    startFrom: 'earliest',
    handleBatch: async ({ records }) => {
      const domain = records.filter((record) => record.headers[RECORD_KIND_HEADER] === undefined);
      const events = domain.map(eventOf);
      if (events.length > 0) {
        const span = startSpanFor(`apply ${projection.name}`, domain.map(recordContext), {
          'chat.projection': projection.name,
          'chat.events': events.length,
        });
        await withSpan(span, () => projection.applyBatch(events));
      }
      applied.changed();
    },
  });
  await consumer.ready;
  logger.info({ projection: projection.name }, 'projection running');
  return { ...consumer, nextApplied: (ms) => applied.next(ms) };
};
