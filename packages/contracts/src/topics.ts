/** Kafka topics between services, with their keys. Partition counts are explicit in the fleet. */
export const Topics = {
  /** Commands to the message service, keyed by room id (single writer per room). */
  messageCommands: 'message.commands',
  /** Resume reads answered by the message service, keyed by room id. */
  messageQueries: 'message.queries',
  /** The message service's domain events, relayed from its event store, keyed by room id. */
  messageEvents: 'message.events',
  /**
   * The whole access state of each room (`RoomAccess`), keyed by room id, compacted: it always
   * holds every room's newest state, whatever the retention of `message.events`.
   */
  roomAccess: 'room.access',
  /**
   * Platform suspensions, relayed from the message service's `user-<user_id>` streams, keyed by
   * user id, compacted: each event is the user's whole suspension state, so the newest per user
   * is all a reader needs.
   */
  userSuspensions: 'user.suspensions',
  /**
   * Erasures of users' personal data (`UserErased`), relayed from the same `user-<user_id>`
   * streams, keyed by user id, compacted: an erasure stays on it for good, so every projection,
   * one rebuilt later included, purges the user and never takes their data in again.
   */
  userErasures: 'user.erasures',
  /** Outcomes of commands and answers to queries, keyed by the gateway instance awaiting them. */
  messageOutcomes: 'message.outcomes',
  /** The media service's domain events, relayed from its event store, keyed by file id. */
  mediaEvents: 'media.events',
  /** Uploads to verify before a share (`share_file`), from the gateways, keyed by file id. */
  mediaCommands: 'media.commands',
  /** Verdicts on those, keyed by the gateway instance awaiting them. */
  mediaOutcomes: 'media.outcomes',
  /** Commands to the notification service (a client's `mark_read`), keyed by user id. */
  notificationCommands: 'notification.commands',
  /** The notification service's domain events, relayed from its event store, keyed by user id. */
  notificationEvents: 'notification.events',
  /** Unread counts for a user's sockets, from the notification service to every gateway, keyed by user id. */
  notificationUnread: 'notification.unread',
  /** Read receipts for a room's members, coalesced, from the notification service to every gateway, keyed by room id. */
  notificationReceipts: 'notification.receipts',
  /** Refused notification commands (a `mark_read`), keyed by the gateway instance to answer. */
  notificationOutcomes: 'notification.outcomes',
  /** Connection lifecycle signals from the gateways (and expiry checks), keyed by user id. */
  presenceSignals: 'presence.signals',
  /** Status changes published by the presence service, keyed by user id. */
  presenceChanges: 'presence.changes',
  /** Typing signals from the gateways to every gateway, keyed by room id. */
  presenceTyping: 'presence.typing',
  /** Failed authentications per subject per minute (`AuthFailureSummary`), from the gateways to the audit log, keyed by subject. */
  authFailures: 'auth.failures',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/**
 * `message.events` also carries the message service's answers to resume queries, so that a
 * gateway receives them in the room's order, after the events they cover. Those records carry
 * this header, set to the answer's kind (`resume_page`, `resume_refused`); domain events carry
 * none, and projections never see the others.
 */
export const RECORD_KIND_HEADER = 'kind';

/**
 * Partitions per topic, explicit so every deployment agrees. Keyed topics keep per-key order
 * inside a partition, so these counts cap each consumer group's parallelism; they can only grow.
 */
export const TopicPartitions: Record<Topic, number> = {
  'message.commands': 8,
  'message.queries': 8,
  'message.events': 8,
  'message.outcomes': 4,
  'room.access': 8,
  'user.suspensions': 4,
  'user.erasures': 4,
  'media.events': 8,
  'media.commands': 8,
  'media.outcomes': 4,
  'notification.commands': 8,
  'notification.events': 8,
  'notification.unread': 8,
  'notification.receipts': 8,
  'notification.outcomes': 4,
  'presence.signals': 8,
  'presence.changes': 8,
  'presence.typing': 8,
  'auth.failures': 4,
};

/**
 * Topics that keep the latest record per key forever (Kafka `cleanup.policy=compact`). Kept
 * forever, they carry no message content: `room.access` holds who may access a room (no name, no
 * message), `user.suspensions` a user's suspension state, `user.erasures` who was erased and when.
 */
const COMPACTED_TOPICS: ReadonlySet<Topic> = new Set<Topic>([
  'room.access',
  'user.suspensions',
  'user.erasures',
]);

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long the topics that carry message content keep it: no longer than their consumers need.
 * A command matters until it is decided, its outcome (an edit's carries the content) until its
 * gateway read it; events (and the resume pages among them) until every projection applied them (a
 * projection further behind is rebuilt from the event store, which is the record). Expiry does
 * not wait for these deletions: projections purge their copies, and content keys are destroyed.
 */
const TOPIC_RETENTION_MS: Partial<Record<Topic, number>> = {
  'message.commands': DAY_MS,
  'message.outcomes': DAY_MS,
  'message.events': 7 * DAY_MS,
};

/** What `Bus.ensureTopics` takes, for the topics a service produces or consumes. */
export const topicSpecs = (...topics: Topic[]) =>
  topics.map((topic) => ({
    topic,
    partitions: TopicPartitions[topic],
    ...(COMPACTED_TOPICS.has(topic) ? { compacted: true } : {}),
    ...(TOPIC_RETENTION_MS[topic] === undefined ? {} : { retentionMs: TOPIC_RETENTION_MS[topic] }),
  }));
