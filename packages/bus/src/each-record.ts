import type { ConsumerOptions, IncomingRecord } from './port';
import { inTraceContext } from './trace-context';

/**
 * A batch handler that handles its records one after the other, each in the trace context it
 * carries: for consumers whose work is per record anyway (fan-out to sockets, matching outcomes).
 */
export const eachRecord =
  (handle: (record: IncomingRecord) => Promise<void> | void): ConsumerOptions['handleBatch'] =>
  async ({ records }) => {
    for (const record of records) await inTraceContext(record.headers, async () => handle(record));
  };
