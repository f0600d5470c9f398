/**
 * The bus port: durable, partitioned topics (Kafka's model). Records with the same key land in
 * the same partition and are delivered in publish order. Delivery is at-least-once: a consumer
 * group's offset is committed only after its handler has resolved, so every handler must
 * tolerate redelivery.
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

export interface TopicSpec {
  topic: string;
  partitions: number;
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
   * Called for each record; records of one partition are handled one at a time, in order. If it
   * throws, the same record is delivered again after a back-off (it is never skipped).
   */
  handler: (record: IncomingRecord) => Promise<void>;
}

export interface Consumer {
  /** Resolves once the consumer has joined its group and is receiving. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export interface Bus {
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  /** Resolves when the records are durably stored (acked by all in-sync replicas on Kafka). */
  publish(topic: string, records: OutgoingRecord[]): Promise<void>;
  consume(options: ConsumerOptions): Promise<Consumer>;
  close(): Promise<void>;
}
