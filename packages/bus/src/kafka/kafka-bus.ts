import { Kafka, logLevel, Partitioners, type Admin, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Bus, Consumer, ConsumerOptions, IncomingRecord, OutgoingRecord, TopicSpec } from '../port';
import { inTraceContext, withTraceContext } from '../trace-context';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  /**
   * Prefixed to every topic and consumer group name, so several deployments (or test runs) can
   * share one cluster without seeing each other's records. Services still use the plain names.
   */
  topicPrefix?: string;
  /** How soon a crashed consumer's partitions move to the rest of its group. Default 10 s. */
  sessionTimeoutMs?: number;
}

const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

const MAX_BACKOFF_MS = 1_000;
const TOPIC_READY_TIMEOUT_MS = 30_000;
const TOPIC_READY_POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** kafkajs logs through pino, at warn and above. */
const logCreator = (logger?: Logger) => () => (entry: LogEntry) => {
  if (!logger) return;
  const { message, ...extra } = entry.log;
  const level = entry.level === logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'debug';
  logger[level]({ kafka: entry.namespace, ...extra }, message);
};

const headersOf = (
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
) => {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = (Array.isArray(value) ? value[0]! : value).toString();
  }
  return result;
};

/**
 * The bus on Kafka. The producer is idempotent with acks from all in-sync replicas, so a retried
 * send is never duplicated nor reordered within a partition. Consumers commit an offset only
 * after the handler resolved; a failing record is retried in place (heartbeating meanwhile),
 * never skipped.
 */
export class KafkaBus implements Bus {
  private readonly consumers = new Set<Consumer>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
    private readonly options: KafkaBusOptions,
  ) {}

  private get logger() {
    return this.options.logger;
  }

  private named(name: string): string {
    return `${this.options.topicPrefix ?? ''}${name}`;
  }

  static async connect(options: KafkaBusOptions): Promise<KafkaBus> {
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: logCreator(options.logger),
    });
    const admin = kafka.admin();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Java-compatible murmur2, as the embedded bus's partitioner: a key maps to the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await Promise.all([admin.connect(), producer.connect()]);
    return new KafkaBus(kafka, admin, producer, options);
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const existing = await this.admin.fetchTopicMetadata({ topics: [] });
    const partitionsOf = new Map(existing.topics.map((t) => [t.name, t.partitions.length]));
    const named = topics.map((t) => ({ ...t, topic: this.named(t.topic) }));
    const missing = named.filter((t) => !partitionsOf.has(t.topic));
    if (missing.length > 0) {
      // Not kafkajs's waitForLeaders: it fails when another process created the topic a moment
      // earlier, which is how a fleet starts (every service ensures the topics it uses).
      await this.admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions })),
      });
    }
    const growing = named.filter((t) => (partitionsOf.get(t.topic) ?? t.partitions) < t.partitions);
    if (growing.length > 0) {
      await this.admin.createPartitions({
        topicPartitions: growing.map((t) => ({ topic: t.topic, count: t.partitions })),
      });
    }
    await this.waitUntilReadable(named);
  }

  /**
   * Until every partition can be read: a topic another process has just created is listed, and
   * even has leaders, a moment before its partitions answer offset requests.
   */
  private async waitUntilReadable(topics: TopicSpec[]): Promise<void> {
    const deadline = Date.now() + TOPIC_READY_TIMEOUT_MS;
    for (;;) {
      try {
        const offsets = await Promise.all(topics.map((t) => this.admin.fetchTopicOffsets(t.topic)));
        if (offsets.every((partitions, index) => partitions.length >= topics[index]!.partitions)) return;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
      if (Date.now() >= deadline) throw new Error(`Topics not readable after ${TOPIC_READY_TIMEOUT_MS} ms`);
      await sleep(TOPIC_READY_POLL_MS);
    }
  }

  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    await this.producer.send({
      topic: this.named(topic),
      acks: -1,
      messages: records.map((record) => ({
        key: record.key,
        value: record.value,
        headers: withTraceContext(record.headers),
      })),
    });
  }

  /**
   * For a group starting at 'latest': the current end of every partition the group has no
   * committed offset for. The consumer seeks there as it joins, so it receives exactly what is
   * published after `consume` (kafkajs alone would resolve 'latest' at its first fetch, a moment
   * after joining, and admin.setOffsets joins the group itself, which costs seconds).
   */
  private async uncommittedEnds(groupId: string, topics: string[]) {
    const starts: { topic: string; partition: number; offset: string }[] = [];
    for (const topic of topics) {
      const [committed, ends] = await Promise.all([
        this.admin.fetchOffsets({ groupId, topics: [topic] }),
        this.admin.fetchTopicOffsets(topic),
      ]);
      const known = new Set(
        committed[0]?.partitions.filter((p) => p.offset !== '-1').map((p) => p.partition),
      );
      for (const end of ends) {
        if (!known.has(end.partition)) starts.push({ topic, partition: end.partition, offset: end.high });
      }
    }
    return starts;
  }

  async consume(options: ConsumerOptions): Promise<Consumer> {
    const groupId = this.named(options.groupId);
    const topics = options.topics.map((topic) => this.named(topic));
    const startAt = options.startFrom === 'latest' ? await this.uncommittedEnds(groupId, topics) : [];
    const sessionTimeout = this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout,
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
      // An idle fetch waits this long on the broker; stopping waits for it, so keep it short.
      maxWaitTimeInMs: 1_000,
    });
    let joined: () => void = () => {};
    const ready = new Promise<void>((resolve) => (joined = resolve));
    // GROUP_JOIN is emitted before the first fetch, so these seeks decide where fetching starts.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const start of startAt) {
        if (payload.memberAssignment[start.topic]?.includes(start.partition)) consumer.seek(start);
      }
      joined();
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    let running = true;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const headers = headersOf(message.headers);
        const record: IncomingRecord = {
          topic: topic.slice(this.options.topicPrefix?.length ?? 0),
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          headers,
          timestamp: Number(message.timestamp),
        };
        for (let attempt = 0; ; attempt++) {
          try {
            await inTraceContext(headers, () => options.handler(record));
            break;
          } catch (error) {
            if (!running) throw error;
            this.logger?.warn(
              { err: error, topic, partition, offset: message.offset },
              'handler failed; retrying',
            );
            await sleep(Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempt));
            await heartbeat();
          }
        }
        await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
      },
    });
    const handle: Consumer = {
      ready,
      stop: async () => {
        running = false;
        this.consumers.delete(handle);
        await consumer.disconnect();
      },
    };
    this.consumers.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }
}
