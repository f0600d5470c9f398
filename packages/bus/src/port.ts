/**
 * The bus port: durable, partitioned topics (Kafka's model). Records with the same key land in
 * the same partition and are delivered in publish order. Consumers take batches: the records of
 * one partition available at the moment, in order. Delivery is at-least-once: a group's offset is
 * committed only after the batch handler has resolved, so every handler must tolerate redelivery.
 */

export interface OutgoingRecord {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  timestamp: number;
}

/** Consecutive records of one partition, oldest first; never empty. */
export interface RecordBatch {
  topic: string;
  partition: number;
  records: IncomingRecord[];
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /**
   * Keep the latest record of every key forever instead of deleting old records (Kafka's
   * `cleanup.policy=compact`): a topic that always holds the whole current state.
   */
  compacted?: boolean;
  /**
   * Delete records older than this (Kafka's `retention.ms`, set when the topic is created) rather
   * than after the broker's default. The embedded bus deletes records every consumer group has
   * read once they are older than its own retention (7 days by default).
   */
  retentionMs?: number;
}

export interface ConsumerOptions {
  /** Consumers sharing a group split the partitions; each group sees every record once. */
  groupId: string;
  topics: string[];
  /**
   * Where a group with no committed offset starts: 'earliest' (default) or 'latest' (only what
   * is published after it joins — a gateway fanning out live events).
   */
  startFrom?: 'earliest' | 'latest';
  /**
   * Handles the records of one partition available now, in order, at most `maxBatchSize` of
   * them; batches of one partition never overlap. The offset is committed past the batch once it
   * resolves. If it throws, the batch is tried again with a back-off; a failure that is not
   * transient (see `isTransientFailure`) is retried a bounded number of times, then the batch is
   * retried record by record and a record that still fails goes to `<topic>.dlq` with its error,
   * so one bad record never stops a partition. Transient failures (a dependency down) are
   * retried until they pass: the consumer stalls, and `Bus.stalls` reports it.
   */
  handleBatch: (batch: RecordBatch) => Promise<void>;
  /** Default 500. */
  maxBatchSize?: number;
}

export interface Consumer {
  /** Resolves once the consumer has joined its group and is receiving. */
  ready: Promise<void>;
  /**
   * Resolves true once the group (this consumer or any other member, in any process) has
   * committed every record published to its topics before the call — read-your-writes for what
   * the group builds; false if that takes longer than `timeoutMs`.
   */
  caughtUp(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** A partition whose batch has been in the handler (retrying, or hanging) for a while. */
export interface Stall {
  groupId: string;
  topic: string;
  partition: number;
  /** The first offset of the batch not yet handled. */
  offset: string;
  sinceMs: number;
  failures: number;
  lastError: string | null;
}

export interface Bus {
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  /** Resolves when the records are durably stored (acked by all in-sync replicas on Kafka). */
  publish(topic: string, records: OutgoingRecord[]): Promise<void>;
  consume(options: ConsumerOptions): Promise<Consumer>;
  /**
   * For each partition of the topic (index = partition), the offset the next record will get:
   * a consumer that has handled everything below these has seen every record published before
   * the call.
   */
  endOffsets(topic: string): Promise<number[]>;
  /** Consumers of this bus whose current batch has been in the handler for at least `thresholdMs`. */
  stalls(thresholdMs: number): Stall[];
  close(): Promise<void>;
}
