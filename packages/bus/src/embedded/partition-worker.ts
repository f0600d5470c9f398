import type { BusLogger } from '../logger';
import type { ConsumerOptions, IncomingRecord } from '../port';
import { redeliveryDelayMs } from '../redelivery';
import { inTraceContext } from '../trace-context';
import type { PartitionLeases } from './leases';
import type { LogChanges } from './log-changes';
import type { GroupPartition, SqliteLog, StoredRecord } from './sqlite-log';
import { sleep } from './timers';

/** Records read per query: enough to amortise the query, few enough to hand a partition over quickly. */
const BATCH_SIZE = 100;
/** How often a partition whose lease another process holds is tried again. */
const LEASE_RETRY_MS = 500;
/** Pause before restarting after a storage error (e.g. the file stayed locked past the busy timeout). */
const STORAGE_RETRY_MS = 1_000;

export interface WorkerEnvironment {
  log: SqliteLog;
  changes: LogChanges;
  leases: PartitionLeases;
  logger?: BusLogger;
}

/**
 * Consumes one partition for one group member: holds the partition's lease, reads records in
 * batches from the group's committed offset, hands them to the handler one at a time, and
 * commits each once its handler has resolved. A failing record is delivered again after a
 * back-off, never skipped. Revoking stops it after the record in flight.
 */
export class PartitionWorker {
  /** Settles once the worker has finished its record in flight and let go of the partition. */
  readonly stopped: Promise<void>;
  private readonly revocation = new AbortController();

  constructor(
    private readonly environment: WorkerEnvironment,
    private readonly at: GroupPartition,
    private readonly handler: ConsumerOptions['handler'],
    previousOwnerStopped: Promise<void>,
  ) {
    // A partition moving between members of this process starts only once its previous worker
    // is done, so its records are never handled twice at the same time.
    this.stopped = previousOwnerStopped.then(() => this.run());
  }

  get revoked(): boolean {
    return this.revocation.signal.aborted;
  }

  revoke(): void {
    this.revocation.abort();
  }

  private async run(): Promise<void> {
    const { leases, logger } = this.environment;
    while (!this.revoked) {
      try {
        if (leases.acquire(this.at)) await this.consumeWhileLeased();
        else await sleep(LEASE_RETRY_MS, this.revocation.signal);
      } catch (error) {
        logger?.error({ ...this.at, error }, 'embedded bus: consuming a partition failed; restarting it');
        await sleep(STORAGE_RETRY_MS, this.revocation.signal);
      }
    }
    try {
      leases.release(this.at);
    } catch (error) {
      logger?.error(
        { ...this.at, error },
        'embedded bus: releasing a partition lease failed; it will expire',
      );
    }
  }

  /** Returns when revoked, or when the lease turns out to be lost (another process took over). */
  private async consumeWhileLeased(): Promise<void> {
    const { log, changes, leases } = this.environment;
    const { topic, partition } = this.at;
    let next = log.committedOffset(this.at) ?? 0;
    while (!this.revoked) {
      const batch = log.read(topic, partition, next, BATCH_SIZE);
      if (batch.length === 0) {
        await changes.next(topic, partition, this.revocation.signal);
        continue;
      }
      for (const stored of batch) {
        if (this.revoked || !(await this.handleUntilDone(stored))) return;
        next = stored.offset + 1;
        if (!leases.commit(this.at, next)) return;
      }
    }
  }

  /** True once the handler has succeeded; false if the worker was revoked while retrying. */
  private async handleUntilDone(stored: StoredRecord): Promise<boolean> {
    const record = this.toIncomingRecord(stored);
    for (let failures = 1; ; failures++) {
      try {
        await inTraceContext(record.headers, () => this.handler(record));
        return true;
      } catch (error) {
        const retryInMs = redeliveryDelayMs(failures);
        this.environment.logger?.warn(
          {
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            failures,
            retryInMs,
            error,
          },
          'bus handler failed; the record will be delivered again',
        );
        await sleep(retryInMs, this.revocation.signal);
        if (this.revoked) return false;
      }
    }
  }

  private toIncomingRecord(stored: StoredRecord): IncomingRecord {
    return {
      topic: this.at.topic,
      partition: this.at.partition,
      offset: String(stored.offset),
      key: stored.key,
      value: stored.value,
      headers: JSON.parse(stored.headers) as Record<string, string>,
      timestamp: stored.timestamp,
    };
  }
}
