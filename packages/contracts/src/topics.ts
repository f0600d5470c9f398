/** Kafka topics between services, with their keys. Partition counts are explicit in the fleet. */
export const Topics = {
  /** Commands to the message service, keyed by room id (single writer per room). */
  messageCommands: 'message.commands',
  /** Resume reads answered by the message service, keyed by room id. */
  messageQueries: 'message.queries',
  /** The message service's domain events, relayed from its event store, keyed by room id. */
  messageEvents: 'message.events',
  /** Outcomes of commands and answers to queries, keyed by the gateway instance awaiting them. */
  messageOutcomes: 'message.outcomes',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/**
 * Partitions per topic, explicit so every deployment agrees. Keyed topics keep per-key order
 * inside a partition, so these counts cap each consumer group's parallelism; they can only grow.
 */
export const TopicPartitions: Record<Topic, number> = {
  'message.commands': 8,
  'message.queries': 8,
  'message.events': 8,
  'message.outcomes': 4,
};

/** What `Bus.ensureTopics` takes, for the topics a service produces or consumes. */
export const topicSpecs = (...topics: Topic[]) =>
  topics.map((topic) => ({ topic, partitions: TopicPartitions[topic] }));
