import { deadLetterOf, deadLetterTopic } from '../dead-letters';
import type { BusObservers } from '../logger';
import type { Bus, Consumer, ConsumerOptions, OutgoingRecord, Stall, TopicSpec } from '../port';
import { committedUpTo, ProgressSignal } from '../progress';
import { publishTraced } from '../trace-context';
import { PartitionLeases } from './leases';
import { LocalGroups, type GroupMember } from './local-groups';
import { LogChanges } from './log-changes';
import { DEFAULT_MAX_BATCH_SIZE, PartitionWorker, type WorkerEnvironment } from './partition-worker';
import { SqliteLog } from './sqlite-log';
import { every } from '../timers';

export interface RetentionOptions {
  /** Records older than this may be deleted once every consumer group has consumed them. Default 7 days. */
  maxAgeMs?: number;
  /** How often to look for such records (and compact compacted topics). Default 10 minutes. */
  checkEveryMs?: number;
}

export interface EmbeddedBusOptions extends BusObservers {
  retention?: RetentionOptions;
}

/** How often to look for records committed by another process on the same file. */
const CROSS_PROCESS_POLL_MS = 25;
const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_RETENTION_CHECK_MS = 10 * 60 * 1000;

/**
 * The bus on one SQLite file, with Kafka's semantics: keys are partitioned by murmur2 like
 * Kafka's default partitioner (so a key lands in the same partition on both), offsets are dense
 * per partition, consumer groups commit after each handled batch and survive restarts, compacted
 * topics keep the latest record of each key forever.
 *
 * Consumers of one group in this instance split the group's partitions and rebalance when one
 * joins or stops. Across processes sharing the file a partition is consumed by whichever instance
 * holds its lease (renewed while in use, taken over 10 s after a crash): never by two at once,
 * but not balanced between processes either.
 */
export class EmbeddedBus implements Bus {
  private readonly changes = new LogChanges();
  private readonly progress = new ProgressSignal();
  private readonly leases: PartitionLeases;
  private readonly groups: LocalGroups;
  private readonly timers: NodeJS.Timeout[];
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly log: SqliteLog,
    options: EmbeddedBusOptions,
  ) {
    const { logger, metrics } = options;
    this.leases = new PartitionLeases(log, logger);
    const environment: WorkerEnvironment = {
      log,
      changes: this.changes,
      leases: this.leases,
      progress: this.progress,
      logger,
      metrics,
      deadLetter: (record, groupId, error, failures) =>
        this.publish(deadLetterTopic(record.topic), [deadLetterOf(record, groupId, error, failures)]),
    };
    this.groups = new LocalGroups(
      (topic) => log.partitionCount(topic),
      (member, topic, partition, previousOwnerStopped) =>
        new PartitionWorker(
          environment,
          { groupId: member.groupId, topic, partition },
          member,
          previousOwnerStopped,
        ),
    );
    const maxAgeMs = options.retention?.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.timers = [
      every(
        CROSS_PROCESS_POLL_MS,
        () => {
          if (log.changedElsewhere()) this.changes.changedElsewhere();
        },
        (error) => logger?.error({ error }, 'embedded bus: polling for changes failed'),
      ),
      every(
        options.retention?.checkEveryMs ?? DEFAULT_RETENTION_CHECK_MS,
        () => log.trim(Date.now() - maxAgeMs),
        (error) => logger?.error({ error }, 'embedded bus: trimming old records failed'),
      ),
    ];
  }

  /** Opens (creating if needed) the bus stored in the SQLite file at `path`. */
  static open(path: string, options: EmbeddedBusOptions = {}): EmbeddedBus {
    return new EmbeddedBus(SqliteLog.open(path), options);
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const { topic, partitions } of topics) {
      if (!Number.isInteger(partitions) || partitions < 1) {
        throw new RangeError(
          `Topic "${topic}" needs a positive whole number of partitions, not ${partitions}`,
        );
      }
    }
    this.log.ensureTopics(topics);
  }

  /**
   * Appended together with every other publish (and commit) of the same turn of the event loop, in
   * one transaction: under load, one commit carries many records.
   */
  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    this.assertOpen();
    if (records.length === 0) return;
    const partitions = await publishTraced(topic, records, (traced) =>
      this.log.append(topic, traced, Date.now()),
    );
    this.changes.published(topic, partitions);
  }

  async consume(options: ConsumerOptions): Promise<Consumer> {
    this.assertOpen();
    const topics = [...new Set(options.topics)];
    for (const topic of topics) this.log.partitionCount(topic); // fails fast on an unknown topic
    this.log.ensureTopics(topics.map((topic) => ({ topic: deadLetterTopic(topic), partitions: 1 })));
    if (options.startFrom === 'latest') this.log.startGroupAtEnd(options.groupId, topics);
    const member: GroupMember = {
      groupId: options.groupId,
      topics,
      handleBatch: options.handleBatch,
      maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
    };
    this.groups.join(member);
    return {
      ready: Promise.resolve(),
      caughtUp: (timeoutMs) => this.caughtUp(options.groupId, topics, timeoutMs),
      stop: () => this.groups.leave(member),
    };
  }

  private async caughtUp(groupId: string, topics: string[], timeoutMs: number): Promise<boolean> {
    await this.log.flushed();
    const ends = topics.map((topic) => this.log.endOffsets(topic));
    const committed = () =>
      topics.map((topic, t) =>
        ends[t]!.map((_, partition) => this.log.committedOffset({ groupId, topic, partition }) ?? 0),
      );
    return committedUpTo(ends, committed, this.progress, timeoutMs, CROSS_PROCESS_POLL_MS);
  }

  async endOffsets(topic: string): Promise<number[]> {
    this.assertOpen();
    await this.log.flushed();
    return this.log.endOffsets(topic);
  }

  stalls(thresholdMs: number): Stall[] {
    return this.groups.stalls(thresholdMs);
  }

  /** Stops every consumer (each after its batch in flight), then closes the file. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await this.groups.leaveAll();
    await this.log.flushed();
    for (const timer of this.timers) clearInterval(timer);
    this.leases.close();
    this.log.close();
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('The embedded bus is closed');
  }
}
