// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the codec has no types of its own, and every package that compiles this file must see them
/// <reference path="./kafkajs-snappy.d.ts" />
import kafkajs, {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type CompressionTypes as CompressionType,
  type Batch,
  type EachBatchPayload,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import type { Logger } from 'pino';
import { BatchRunner } from '../batch-runner';
import { deadLetterOf, deadLetterTopic } from '../dead-letters';
import type { BusMetrics } from '../logger';
import type {
  Bus,
  Consumer,
  ConsumerOptions,
  IncomingRecord,
  OutgoingRecord,
  Stall,
  TopicSpec,
} from '../port';
import { committedUpTo, ProgressSignal } from '../progress';
import { sleep as sleepUnless } from '../timers';
import { publishTraced } from '../trace-context';
import { KafkaPublisher } from './publisher';

// Not named imports: Node's ESM loader does not see these among the CommonJS module's exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;
CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;

export type KafkaCompression = 'snappy' | 'gzip' | 'none';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  metrics?: BusMetrics;
  /**
   * Prefixed to every topic and consumer group name, so several deployments (or test runs) can
   * share one cluster without seeing each other's records. Services still use the plain names.
   */
  topicPrefix?: string;
  /** How soon a crashed consumer's partitions move to the rest of its group. Default 10 s. */
  sessionTimeoutMs?: number;
  /** How produced batches are compressed. Default snappy: cheap on CPU, pure JavaScript. */
  compression?: KafkaCompression;
}

const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BATCH_SIZE = 500;
/** Partitions of one consumer handled at the same time (kafkajs's default is one at a time). */
const PARTITIONS_CONSUMED_CONCURRENTLY = 8;
const TOPIC_READY_TIMEOUT_MS = 30_000;
const TOPIC_READY_POLL_MS = 100;
/** How often `caughtUp` asks the cluster for the group's commits made by its other members. */
const COMMITTED_POLL_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const COMPRESSION: Record<KafkaCompression, CompressionType> = {
  snappy: CompressionTypes.Snappy,
  gzip: CompressionTypes.GZIP,
  none: CompressionTypes.None,
};

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
 * send is never duplicated nor reordered within a partition; publishes made while a send is in
 * flight go out together in the next one, compressed. Consumers take each fetched batch per
 * partition (several partitions at once), hand it to the handler under `BatchRunner`'s failure
 * policy, and commit the offset after it.
 */
export class KafkaBus implements Bus {
  private readonly consumers = new Set<Consumer>();
  private readonly runners = new Set<BatchRunner>();
  private readonly progress = new ProgressSignal();
  private readonly publisher: KafkaPublisher;

  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    producer: Producer,
    private readonly options: KafkaBusOptions,
  ) {
    this.publisher = new KafkaPublisher(producer, COMPRESSION[options.compression ?? 'snappy']);
  }

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
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.partitions,
          configEntries: [
            ...(t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
            ...(t.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(t.retentionMs) }]),
          ],
        })),
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

  publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return publishTraced(topic, records, (traced) => this.publisher.send(this.named(topic), traced));
  }

  async endOffsets(topic: string): Promise<number[]> {
    await this.publisher.idle();
    const offsets = await this.admin.fetchTopicOffsets(this.named(topic));
    return offsets.sort((a, b) => a.partition - b.partition).map((each) => Number(each.high));
  }

  stalls(thresholdMs: number): Stall[] {
    return [...this.runners].flatMap((runner) => runner.stall(thresholdMs) ?? []);
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
    await this.ensureTopics(
      options.topics.map((topic) => ({ topic: deadLetterTopic(topic), partitions: 1 })),
    );
    const startAt = options.startFrom === 'latest' ? await this.uncommittedEnds(groupId, topics) : [];
    const sessionTimeout = this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    const heartbeatInterval = Math.max(500, Math.floor(sessionTimeout / 10));
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout,
      heartbeatInterval,
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
    const stopping = new AbortController();
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    const runnerFor = (payload: EachBatchPayload) =>
      new BatchRunner({
        groupId: options.groupId,
        handleBatch: options.handleBatch,
        deadLetter: (record, error, failures) =>
          this.publish(deadLetterTopic(record.topic), [
            deadLetterOf(record, options.groupId, error, failures),
          ]),
        wait: (ms) => sleepUnless(ms, stopping.signal),
        stopped: () => !running || !payload.isRunning() || payload.isStale(),
        keepAlive: () => payload.heartbeat(),
        logger: this.logger,
        metrics: this.options.metrics,
      });

    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      eachBatch: async (payload) => {
        const runner = runnerFor(payload);
        this.runners.add(runner);
        try {
          for (const chunk of chunksOf(payload.batch, maxBatchSize)) {
            const records = chunk.map((message) => this.toIncomingRecord(payload.batch, message));
            const batch = { topic: records[0]!.topic, partition: payload.batch.partition, records };
            // A handler slower than the session timeout (a database under load) must not get the
            // member expelled from its group mid-batch: heartbeat while it runs.
            const heartbeats = setInterval(() => void payload.heartbeat().catch(() => {}), heartbeatInterval);
            const handled = await runner.run(batch).finally(() => clearInterval(heartbeats));
            if (!handled) return;
            const last = chunk[chunk.length - 1]!.offset;
            payload.resolveOffset(last);
            await consumer.commitOffsets([
              {
                topic: payload.batch.topic,
                partition: payload.batch.partition,
                offset: String(Number(last) + 1),
              },
            ]);
            this.options.metrics?.committed?.(
              options.groupId,
              payload.batch.topic,
              payload.batch.partition,
              Number(last) + 1,
              Number(payload.batch.highWatermark),
            );
            this.progress.changed();
            await payload.heartbeat();
          }
        } finally {
          this.runners.delete(runner);
        }
      },
    });
    const handle: Consumer = {
      ready,
      caughtUp: (timeoutMs) => this.caughtUp(groupId, options.topics, timeoutMs),
      stop: async () => {
        running = false;
        stopping.abort();
        this.consumers.delete(handle);
        await consumer.disconnect();
      },
    };
    this.consumers.add(handle);
    return handle;
  }

  private async caughtUp(groupId: string, topics: string[], timeoutMs: number): Promise<boolean> {
    const ends = await Promise.all(topics.map((topic) => this.endOffsets(topic)));
    const committed = async () => {
      const fetched = await this.admin.fetchOffsets({ groupId, topics: topics.map((t) => this.named(t)) });
      return topics.map((topic) => {
        const partitions = fetched.find((each) => each.topic === this.named(topic))?.partitions ?? [];
        const offsets: number[] = [];
        for (const { partition, offset } of partitions) offsets[partition] = Math.max(0, Number(offset));
        return offsets;
      });
    };
    return committedUpTo(ends, committed, this.progress, timeoutMs, COMMITTED_POLL_MS);
  }

  private toIncomingRecord(batch: Batch, message: Batch['messages'][number]): IncomingRecord {
    return {
      topic: batch.topic.slice(this.options.topicPrefix?.length ?? 0),
      partition: batch.partition,
      offset: message.offset,
      key: message.key?.toString() ?? '',
      value: message.value?.toString() ?? '',
      headers: headersOf(message.headers),
      timestamp: Number(message.timestamp),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    await this.publisher.close();
    await this.admin.disconnect();
  }
}

/** The fetched messages in runs of at most `size`. */
function* chunksOf(batch: Batch, size: number): Generator<Batch['messages']> {
  for (let start = 0; start < batch.messages.length; start += size) {
    yield batch.messages.slice(start, start + size);
  }
}
