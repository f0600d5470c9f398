import { context } from '@opentelemetry/api';
import type { ConsumerOptions, IncomingRecord } from './port';
import { recordContext } from './trace-context';

/**
 * A batch handler that handles its records one after the other, each in its own trace (its
 * consumer span): for consumers whose work is per record anyway (fan-out to sockets, matching
 * outcomes).
 */
export const eachRecord =
  (handle: (record: IncomingRecord) => Promise<void> | void): ConsumerOptions['handleBatch'] =>
  async ({ records }) => {
    for (const record of records) await context.with(recordContext(record), async () => handle(record));
  };
