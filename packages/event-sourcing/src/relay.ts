import type { Bus, OutgoingRecord } from '@chat/bus';
import type { EventRecord } from '@chat/contracts';
import type { EventStore, RecordedEvent } from '@chat/eventstore';
import type { Logger } from 'pino';
import type { CheckpointStore } from './checkpoint-store';

export interface RelayOptions {
  /** Names the checkpoint; one per relay. */
  name: string;
  store: EventStore;
  bus: Bus;
  checkpoints: CheckpointStore;
  streamPrefixes: string[];
  topic: string;
  /** The record key: the aggregate id, so one aggregate's events stay in order in one partition. */
  keyOf: (event: RecordedEvent) => string;
  logger: Logger;
  /** Called after each batch is on the bus, with the events it carried. */
  onPublished?: (events: RecordedEvent[]) => void;
  maxBatch?: number;
}

export interface Relay {
  stop(): Promise<void>;
}

export const toEventRecord = (event: RecordedEvent): EventRecord => ({
  event_id: event.id,
  type: event.type,
  stream: event.streamName,
  revision: event.revision,
  data: event.data,
  metadata: event.metadata as EventRecord['metadata'],
  recorded_at: event.recordedAt.toISOString(),
});

const toOutgoing = (event: RecordedEvent, key: string): OutgoingRecord => {
  const correlationId = event.metadata.correlation_id;
  return {
    key,
    value: JSON.stringify(toEventRecord(event)),
    headers: typeof correlationId === 'string' ? { correlation_id: correlationId } : {},
  };
};

const RETRY_DELAY_MS = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows the service's own streams in the event store from a durable checkpoint and publishes
 * each event to its topic. Events are batched while a publish is in flight; the checkpoint
 * moves only after the bus has acknowledged a batch, so a crash republishes (at-least-once) and
 * never skips. Consumers deduplicate by (stream, revision).
 */
export const startRelay = async (options: RelayOptions): Promise<Relay> => {
  const { store, bus, checkpoints, logger, name } = options;
  const maxBatch = options.maxBatch ?? 500;
  const subscription = store.subscribe({
    after: await checkpoints.load(name),
    streamPrefixes: options.streamPrefixes,
  });
  let stopped = false;
  let batch: RecordedEvent[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let flushScheduled = false;

  const publishWithRetry = async (events: RecordedEvent[]): Promise<void> => {
    const records = events.map((event) => toOutgoing(event, options.keyOf(event)));
    for (;;) {
      try {
        await bus.publish(options.topic, records);
        await checkpoints.save(name, events[events.length - 1]!.position);
        options.onPublished?.(events);
        return;
      } catch (error) {
        if (stopped) return;
        logger.warn({ err: error, relay: name, count: events.length }, 'relay publish failed; retrying');
        await sleep(RETRY_DELAY_MS);
      }
    }
  };

  const scheduleFlush = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    flushing = flushing.then(async () => {
      flushScheduled = false;
      const events = batch;
      batch = [];
      if (events.length > 0) await publishWithRetry(events);
    });
  };

  const pump = (async () => {
    for await (const event of subscription) {
      batch.push(event);
      scheduleFlush();
      // Backpressure: while catching up on a long history, never hold more than a few batches.
      if (batch.length >= maxBatch) await flushing;
    }
  })();

  logger.info({ relay: name, topic: options.topic }, 'relay started');
  return {
    stop: async () => {
      stopped = true;
      await subscription.close();
      await pump.catch((error: unknown) => logger.error({ err: error, relay: name }, 'relay pump failed'));
      scheduleFlush();
      await flushing;
    },
  };
};
