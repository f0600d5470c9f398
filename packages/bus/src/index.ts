export * from './port';
export type { BusLogger, BusMetrics, BusObservers } from './logger';
export { partitionFor } from './partitioner';
export { isTransientFailure } from './failures';
export { DeadLetterHeaders, deadLetterTopic } from './dead-letters';
export { eachRecord } from './each-record';
export {
  activeTraceContext,
  contextOfSpan,
  failActiveSpan,
  failSpan,
  SpanKind,
  recordContext,
  ROOT_TRACE_CONTEXT,
  startSpan,
  startSpanFor,
  type Span,
  type TraceContext,
  traceContextOf,
  traceHeaders,
  withSpan,
} from './trace-context';
export { ProgressSignal } from './progress';
export { isDeadLocalOwner, leaseOwnerName } from './owners';
export { describeStalls } from './stalls';
