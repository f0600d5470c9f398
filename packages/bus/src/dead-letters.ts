import type { IncomingRecord, OutgoingRecord } from './port';

/** Where a consumer puts the records it could not handle: `<topic>.dlq`. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** Headers a dead-lettered record carries besides its own, saying where it came from and why. */
export const DeadLetterHeaders = {
  error: 'dlq.error',
  group: 'dlq.group',
  topic: 'dlq.topic',
  partition: 'dlq.partition',
  offset: 'dlq.offset',
  failures: 'dlq.failures',
  at: 'dlq.at',
} as const;

const MAX_ERROR_LENGTH = 2_000;

const describe = (error: unknown): string => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
};

/** The record as it goes to the dead-letter topic: same key and value, its origin and error in headers. */
export const deadLetterOf = (
  record: IncomingRecord,
  groupId: string,
  error: unknown,
  failures: number,
): OutgoingRecord => ({
  key: record.key,
  value: record.value,
  headers: {
    ...record.headers,
    [DeadLetterHeaders.error]: describe(error),
    [DeadLetterHeaders.group]: groupId,
    [DeadLetterHeaders.topic]: record.topic,
    [DeadLetterHeaders.partition]: String(record.partition),
    [DeadLetterHeaders.offset]: record.offset,
    [DeadLetterHeaders.failures]: String(failures),
    [DeadLetterHeaders.at]: new Date().toISOString(),
  },
});
