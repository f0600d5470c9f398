import { isTransientFailure } from './failures';
import type { BusObservers } from './logger';
import type { ConsumerOptions, IncomingRecord, RecordBatch, Stall } from './port';
import { MAX_ATTEMPTS, redeliveryDelayMs } from './redelivery';
import { consumeTraced } from './trace-context';

export interface BatchRunnerOptions extends BusObservers {
  groupId: string;
  handleBatch: ConsumerOptions['handleBatch'];
  /** Stores the record in the dead-letter topic; resolves once it is durably there. */
  deadLetter(record: IncomingRecord, error: unknown, failures: number): Promise<void>;
  /** Resolves after `ms`, or at once when the consumer stops. */
  wait(ms: number): Promise<void>;
  stopped(): boolean;
  /** Called after every wait: Kafka must heartbeat while a batch is retried. */
  keepAlive?(): Promise<void>;
}

interface InFlight {
  topic: string;
  partition: number;
  offset: string;
  since: number;
  failures: number;
  lastError: string | null;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The failure policy every adapter applies to one partition's batches. A batch is tried until it
 * passes, with a back-off. A dependency that is down (a transient failure) is waited for as long
 * as it takes — losing records to an outage would be worse than stalling, and the stall is
 * reported. Any other failure is tried `MAX_ATTEMPTS` times, then the records are tried one by
 * one and the one that still fails goes to the dead-letter topic: a bad record costs about a
 * second of its partition's time, never the partition.
 */
export class BatchRunner {
  private inFlight: InFlight | null = null;

  constructor(private readonly options: BatchRunnerOptions) {}

  /** True once every record is handled or dead-lettered; false if the consumer stopped first. */
  async run(batch: RecordBatch): Promise<boolean> {
    this.inFlight = {
      topic: batch.topic,
      partition: batch.partition,
      offset: batch.records[0]!.offset,
      since: Date.now(),
      failures: 0,
      lastError: null,
    };
    const started = performance.now();
    try {
      const handled = await this.settle(batch);
      if (handled) {
        const seconds = (performance.now() - started) / 1000;
        this.options.metrics?.batchHandled?.(
          this.options.groupId,
          batch.topic,
          batch.records.length,
          seconds,
        );
      }
      return handled;
    } finally {
      this.inFlight = null;
    }
  }

  /** The batch in the handler, if it has been there for `thresholdMs` or longer. */
  stall(thresholdMs: number, now = Date.now()): Stall | null {
    const current = this.inFlight;
    if (!current || now - current.since < thresholdMs) return null;
    const { topic, partition, offset, since, failures, lastError } = current;
    return {
      groupId: this.options.groupId,
      topic,
      partition,
      offset,
      sinceMs: now - since,
      failures,
      lastError,
    };
  }

  private async settle(batch: RecordBatch): Promise<boolean> {
    const { groupId, handleBatch, logger, metrics } = this.options;
    for (let failures = 1; ; failures++) {
      try {
        await consumeTraced(groupId, batch, () => handleBatch(batch));
        return true;
      } catch (error) {
        if (this.options.stopped()) return false;
        const transient = isTransientFailure(error);
        this.noteFailure(error);
        metrics?.handlerFailed(groupId, batch.topic, transient);
        const first = batch.records[0]!;
        const fields = {
          groupId,
          topic: batch.topic,
          partition: batch.partition,
          offset: first.offset,
          records: batch.records.length,
          failures,
          transient,
          err: error,
        };
        if (!transient && failures >= MAX_ATTEMPTS) {
          if (batch.records.length > 1) {
            logger?.warn(fields, 'bus handler keeps failing on a batch; trying its records one by one');
            return this.oneByOne(batch);
          }
          await this.deadLetter(first, error, failures);
          return !this.options.stopped();
        }
        const retryInMs = redeliveryDelayMs(failures, transient);
        logger?.warn({ ...fields, retryInMs }, 'bus handler failed; the batch will be handled again');
        await this.options.wait(retryInMs);
        if (this.options.stopped()) return false;
        await this.options.keepAlive?.();
      }
    }
  }

  private async oneByOne(batch: RecordBatch): Promise<boolean> {
    for (const record of batch.records) {
      if (this.inFlight) this.inFlight.offset = record.offset;
      if (!(await this.settle({ ...batch, records: [record] }))) return false;
    }
    return true;
  }

  private async deadLetter(record: IncomingRecord, error: unknown, failures: number): Promise<void> {
    const { groupId, logger, metrics } = this.options;
    const where = { groupId, topic: record.topic, partition: record.partition, offset: record.offset };
    for (let attempt = 1; !this.options.stopped(); attempt++) {
      try {
        await this.options.deadLetter(record, error, failures);
        metrics?.deadLettered(groupId, record.topic);
        logger?.error(
          { ...where, key: record.key, failures, err: error },
          'bus record dead-lettered: its handler kept failing; the partition moves on',
        );
        return;
      } catch (publishError) {
        logger?.error({ ...where, err: publishError }, 'dead-lettering a record failed; retrying');
        await this.options.wait(redeliveryDelayMs(attempt, true));
      }
    }
  }

  private noteFailure(error: unknown): void {
    if (!this.inFlight) return;
    this.inFlight.failures++;
    this.inFlight.lastError = describe(error);
  }
}
