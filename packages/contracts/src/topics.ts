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
