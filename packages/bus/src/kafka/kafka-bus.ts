import { Kafka, logLevel, type Admin, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Bus, Consumer, ConsumerOptions, IncomingRecord, OutgoingRecord, TopicSpec } from '../port';
import { inTraceContext, withTraceContext } from '../trace-context';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
}

const MAX_BACKOFF_MS = 1_000;
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
    private readonly logger?: Logger,
  ) {}

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
      allowAutoTopicCreation: false,
    });
    await Promise.all([admin.connect(), producer.connect()]);
    return new KafkaBus(kafka, admin, producer, options.logger);
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const existing = await this.admin.fetchTopicMetadata({ topics: [] });
    const partitionsOf = new Map(existing.topics.map((t) => [t.name, t.partitions.length]));
    const missing = topics.filter((t) => !partitionsOf.has(t.topic));
    if (missing.length > 0) {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions })),
      });
    }
    const growing = topics.filter((t) => (partitionsOf.get(t.topic) ?? t.partitions) < t.partitions);
    if (growing.length > 0) {
      await this.admin.createPartitions({
        topicPartitions: growing.map((t) => ({ topic: t.topic, count: t.partitions })),
      });
    }
  }

  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    await this.producer.send({
      topic,
      acks: -1,
      messages: records.map((record) => ({
        key: record.key,
        value: record.value,
        headers: withTraceContext(record.headers),
      })),
    });
  }

  /**
   * A new group that starts at 'latest' gets the current ends committed before it runs, so it
   * receives exactly what is published after this call (kafkajs would otherwise resolve 'latest'
   * at its first fetch, some time after joining).
   */
  private async commitEndsForNewGroup(groupId: string, topics: string[]): Promise<void> {
    for (const topic of topics) {
      const [committed, ends] = await Promise.all([
        this.admin.fetchOffsets({ groupId, topics: [topic] }),
        this.admin.fetchTopicOffsets(topic),
      ]);
      const known = new Set(
        committed[0]?.partitions.filter((p) => p.offset !== '-1').map((p) => p.partition),
      );
      const partitions = ends
        .filter((end) => !known.has(end.partition))
        .map((end) => ({ partition: end.partition, offset: end.high }));
      if (partitions.length > 0) await this.admin.setOffsets({ groupId, topic, partitions });
    }
  }

  async consume(options: ConsumerOptions): Promise<Consumer> {
    if (options.startFrom === 'latest') await this.commitEndsForNewGroup(options.groupId, options.topics);
    const consumer = this.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    let joined: () => void = () => {};
    const ready = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    let running = true;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const headers = headersOf(message.headers);
        const record: IncomingRecord = {
          topic,
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
