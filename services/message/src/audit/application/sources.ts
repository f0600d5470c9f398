import type { Bus, Consumer, IncomingRecord, RecordBatch } from '@chat/bus';
import {
  AuthFailureSummary,
  compile,
  EventRecord,
  RECORD_KIND_HEADER,
  Topics,
  type AuditRecord,
  type EventOf,
} from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import { auditRecordOfAuthFailures, auditRecordOfEvent, type AuditFacts } from '../domain/mapping';
import type { AuditWriter } from './writer';

/** The facts the mappings need that events do not carry, from the message service's own state. */
export interface AuditLookups {
  /** The sender of a message of the room, if it exists. */
  senderOf(roomId: string, messageId: string): Promise<string | undefined>;
}

const validEvent = compile(EventRecord);
const validSummary = compile(AuthFailureSummary);

const parsed = <T>(
  record: IncomingRecord,
  validator: { check(value: unknown): value is T; explain(value: unknown): string | null },
): T => {
  const value: unknown = JSON.parse(record.value);
  if (!validator.check(value)) {
    throw new TypeError(`Not a record of ${record.topic}: ${validator.explain(value) ?? 'invalid'}`);
  }
  return value;
};

/** Looks up, before mapping, who sent each message the events delete. */
const factsFor = async (events: EventRecord[], lookups: AuditLookups): Promise<AuditFacts> => {
  const senders = new Map<string, string>();
  for (const event of events) {
    if (event.type !== 'MessageDeleted') continue;
    const { room_id, message_id } = event.data as EventOf<'MessageDeleted'>['data'];
    const sender = await lookups.senderOf(room_id, message_id);
    if (sender !== undefined) senders.set(message_id, sender);
  }
  return { senderOf: (messageId) => senders.get(messageId) };
};

/**
 * The audit records of one batch of `message.events`, `user.suspensions`, `user.erasures` or
 * `auth.failures`, in
 * the batch's order.
 */
export const auditRecordsOf = async (batch: RecordBatch, lookups: AuditLookups): Promise<AuditRecord[]> => {
  if (batch.topic === Topics.authFailures) {
    return batch.records.map((record) => auditRecordOfAuthFailures(parsed(record, validSummary)));
  }
  const events = batch.records
    .filter((record) => record.headers[RECORD_KIND_HEADER] === undefined)
    .map((record) => parsed(record, validEvent));
  const facts = await factsFor(events, lookups);
  return events.flatMap((event) => auditRecordOfEvent(event, facts) ?? []);
};

/**
 * Follows the message service's events (of rooms and of users) and the gateways'
 * failed-authentication summaries, and
 * writes what they audit. The offsets move only after the writer has recorded a batch, and the
 * writer drops what it recorded before: at-least-once delivery, one record per source.
 */
export const startAuditSources = async (options: {
  bus: Bus;
  writer: AuditWriter;
  lookups: AuditLookups;
  logger: Logger;
}): Promise<Consumer> => {
  const { bus, writer, lookups, logger } = options;
  const consumer = await bus.consume({
    groupId: 'message-audit',
    topics: [Topics.messageEvents, Topics.userSuspensions, Topics.userErasures, Topics.authFailures],
    startFrom: 'earliest',
    handleBatch: async (batch) => writer.write(await auditRecordsOf(batch, lookups)),
  });
  await consumer.ready;
  logger.info('audit log following message.events, user.suspensions, user.erasures and auth.failures');
  return consumer;
};
