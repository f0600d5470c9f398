import { BatchRunner } from '../batch-runner';
import type { BusObservers } from '../logger';
import type { ConsumerOptions, IncomingRecord, Stall } from '../port';
import type { ProgressSignal } from '../progress';
import type { PartitionLeases } from './leases';
import type { LogChanges } from './log-changes';
import type { LoggedRecord } from './recent-records';
import type { GroupPartition, SqliteLog } from './sqlite-log';
import { sleep } from '../timers';

/** Records handed over at most, when the consumer sets no `maxBatchSize`. */
export const DEFAULT_MAX_BATCH_SIZE = 500;
/** How often a partition whose lease another process holds is tried again. */
const LEASE_RETRY_MS = 500;
/** Pause before restarting after a storage error (e.g. the file stayed locked past the busy timeout). */
const STORAGE_RETRY_MS = 1_000;

export interface WorkerEnvironment extends BusObservers {
  log: SqliteLog;
  changes: LogChanges;
  leases: PartitionLeases;
  /** Told of every commit, for `Consumer.caughtUp`. */
  progress: ProgressSignal;
  deadLetter(record: IncomingRecord, groupId: string, error: unknown, failures: number): Promise<void>;
}

export interface WorkerMember {
  groupId: string;
  handleBatch: ConsumerOptions['handleBatch'];
  maxBatchSize: number;
}

/**
 * Consumes one partition for one group member: holds the partition's lease, reads every record
 * available from the group's committed offset (up to the member's batch size), hands them to the
 * handler as one batch under the failure policy of `BatchRunner`, and commits once the batch is
 * done. Revoking stops it after the batch in flight.
 */
export class PartitionWorker {
  /** Settles once the worker has finished its batch in flight and let go of the partition. */
  readonly stopped: Promise<void>;
  private readonly revocation = new AbortController();
  private readonly runner: BatchRunner;

  constructor(
    private readonly environment: WorkerEnvironment,
    private readonly at: GroupPartition,
    private readonly member: WorkerMember,
    previousOwnerStopped: Promise<void>,
  ) {
    const { logger, metrics } = environment;
    this.runner = new BatchRunner({
      groupId: at.groupId,
      handleBatch: member.handleBatch,
      deadLetter: (record, error, failures) => environment.deadLetter(record, at.groupId, error, failures),
      wait: (ms) => sleep(ms, this.revocation.signal),
      stopped: () => this.revoked,
      logger,
      metrics,
    });
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

  stall(thresholdMs: number): Stall | null {
    return this.runner.stall(thresholdMs);
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
      const logged = log.read(topic, partition, next, this.member.maxBatchSize);
      if (logged.length === 0) {
        await changes.next(topic, partition, this.revocation.signal);
        continue;
      }
      const records = logged.map((each) => this.toIncomingRecord(each));
      if (!(await this.runner.run({ topic, partition, records }))) return;
      next = logged[logged.length - 1]!.offset + 1;
      if (!(await leases.commit(this.at, next))) return;
      this.environment.metrics?.committed?.(
        this.at.groupId,
        topic,
        partition,
        next,
        log.endOffsets(topic)[partition] ?? next,
      );
      this.environment.progress.changed();
    }
  }

  private toIncomingRecord({ offset, key, value, headers, timestamp }: LoggedRecord): IncomingRecord {
    return {
      topic: this.at.topic,
      partition: this.at.partition,
      offset: String(offset),
      key,
      value,
      headers,
      timestamp,
    };
  }
}
