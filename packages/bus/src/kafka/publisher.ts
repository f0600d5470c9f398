import type { CompressionTypes, Message, Producer } from 'kafkajs';

interface Pending {
  topic: string;
  messages: Message[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Kafka's linger, for kafkajs (which sends every `send` as its own request): while one request is
 * in flight, every publish waits in a queue, and the whole queue goes out as the next request —
 * one compressed batch per topic. Under load a request carries hundreds of records; when idle a
 * publish goes out at once. Requests go one at a time, so call order is kept per partition.
 */
export class KafkaPublisher {
  private queue: Pending[] = [];
  private sending: Promise<void> | null = null;

  constructor(
    private readonly producer: Producer,
    private readonly compression: CompressionTypes,
  ) {}

  send(topic: string, messages: Message[]): Promise<void> {
    const sent = new Promise<void>((resolve, reject) =>
      this.queue.push({ topic, messages, resolve, reject }),
    );
    this.sending ??= this.drain();
    return sent;
  }

  /** Resolves once every publish made so far has been sent (or has failed). */
  async idle(): Promise<void> {
    while (this.sending) await this.sending;
  }

  async close(): Promise<void> {
    await this.sending;
    await this.producer.disconnect();
  }

  private async drain(): Promise<void> {
    // Let the publishes of this turn of the event loop join the first request.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.producer.sendBatch({
          acks: -1,
          compression: this.compression,
          topicMessages: byTopic(batch),
        });
        for (const { resolve } of batch) resolve();
      } catch (error) {
        for (const { reject } of batch) reject(error);
      }
    }
    this.sending = null;
  }
}

/** One entry per topic, messages in call order. */
const byTopic = (batch: Pending[]) => {
  const topics = new Map<string, Message[]>();
  for (const { topic, messages } of batch) {
    const list = topics.get(topic) ?? [];
    list.push(...messages);
    topics.set(topic, list);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
};
