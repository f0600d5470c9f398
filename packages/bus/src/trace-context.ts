import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { IncomingRecord, OutgoingRecord, RecordBatch } from './port';

/**
 * Trace context across the bus: a producer span per published record whose W3C context travels in
 * the record's headers, and a consumer span per handled record, child of the span that published
 * it — so one message is one trace, whatever the number of processes it crosses. Without a
 * tracing SDK started, the API's no-op tracer makes all of this a few cheap calls. The tracer is
 * asked for at each use, never kept from module load: a bundle holds the API's ESM and CommonJS
 * builds, and a tracer taken from one before the SDK registered with the other stays a no-op.
 */
const tracer = () => trace.getTracer('@chat/bus');

/** The W3C trace headers (`traceparent`, `tracestate`) of a context: the active one by default. */
export const traceHeaders = (from: Context = context.active()): Record<string, string> => {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
};

/**
 * The context that headers (or event metadata) carry. Extracted onto the root context, not the
 * active one: a consumer loop would otherwise parent every record it handles under whatever span
 * happened to be active when the loop started.
 */
export const traceContextOf = (headers: Record<string, unknown>): Context => {
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = headers[key];
    if (typeof value === 'string') carrier[key] = value;
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
};

/** Marks a span failed with the error, or the refusal (a string), that failed it. */
export const failSpan = (span: Span, error: unknown): void => {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
};

/**
 * Starts a span for work done on behalf of several traced items (a batch): the child of their
 * context when they all share one, else a new trace linked to each of them.
 */
export const startSpanFor = (
  name: string,
  parents: Context[],
  attributes: Attributes = {},
  kind = SpanKind.INTERNAL,
): Span => {
  const spans = parents.map((parent) => trace.getSpanContext(parent)).filter((each) => each !== undefined);
  const single = spans.length > 0 && spans.every((each) => each.spanId === spans[0]!.spanId);
  if (single || parents.length === 1) return tracer().startSpan(name, { kind, attributes }, parents[0]);
  return tracer().startSpan(
    name,
    { kind, attributes, root: true, links: spans.map((each) => ({ context: each })) },
    ROOT_CONTEXT,
  );
};

/** Runs `work` as the active span, ending it after; a throw marks it failed. */
export const withSpan = async <T>(span: Span, work: () => Promise<T>): Promise<T> => {
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
};

const messaging = (topic: string, operation: 'publish' | 'process'): Attributes => ({
  'messaging.system': 'kafka',
  'messaging.destination.name': topic,
  'messaging.operation.type': operation,
});

/**
 * Publishes through `send` with a producer span per record, child of the context the record's
 * headers already carry (an event relayed from the store names the command that made it) or else
 * of the active one; each record goes out carrying its own span's context.
 */
export const publishTraced = async <T>(
  topic: string,
  records: OutgoingRecord[],
  send: (records: { key: string; value: string; headers: Record<string, string> }[]) => Promise<T>,
): Promise<T> => {
  const spans = records.map((record) => {
    const parent = record.headers?.traceparent ? traceContextOf(record.headers) : context.active();
    return tracer().startSpan(
      `publish ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { ...messaging(topic, 'publish'), 'messaging.kafka.message.key': record.key },
      },
      parent,
    );
  });
  const traced = records.map(({ key, value, headers }, i) => ({
    key,
    value,
    headers: { ...headers, ...traceHeaders(trace.setSpan(ROOT_CONTEXT, spans[i]!)) },
  }));
  try {
    return await send(traced);
  } catch (error) {
    for (const span of spans) failSpan(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
};

/** Each record's consumer span while its batch is handled: where per-record work hangs its spans. */
const recordSpans = new WeakMap<IncomingRecord, Context>();

/** The context to trace one record's work in: its consumer span while its batch is handled. */
export const recordContext = (record: IncomingRecord): Context =>
  recordSpans.get(record) ?? traceContextOf(record.headers);

/**
 * Handles a batch with a consumer span per record (child of the span that published it) and runs
 * the handler in the one record's span, or, for several, in a batch span linked to each of them;
 * per-record work reparents itself with `recordContext`. A failed attempt marks every span failed.
 */
export const consumeTraced = async (
  groupId: string,
  batch: RecordBatch,
  handle: () => Promise<void>,
): Promise<void> => {
  const attributes = {
    ...messaging(batch.topic, 'process'),
    'messaging.consumer.group.name': groupId,
    'messaging.destination.partition.id': String(batch.partition),
  };
  const contexts = batch.records.map((record) => {
    const span = tracer().startSpan(
      `process ${batch.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...attributes,
          'messaging.kafka.offset': Number(record.offset),
          'messaging.kafka.message.key': record.key,
        },
      },
      traceContextOf(record.headers),
    );
    const spanContext = trace.setSpan(ROOT_CONTEXT, span);
    recordSpans.set(record, spanContext);
    return { span, spanContext };
  });
  const batchSpan =
    contexts.length === 1
      ? contexts[0]!.span
      : startSpanFor(
          `process ${batch.topic}`,
          contexts.map((each) => each.spanContext),
          { ...attributes, 'messaging.batch.message_count': contexts.length },
          SpanKind.CONSUMER,
        );
  try {
    await context.with(trace.setSpan(ROOT_CONTEXT, batchSpan), handle);
  } catch (error) {
    for (const { span } of contexts) failSpan(span, error);
    if (contexts.length > 1) failSpan(batchSpan, error);
    throw error;
  } finally {
    for (const { span } of contexts) span.end();
    if (contexts.length > 1) batchSpan.end();
  }
};

/** The context whose active span is `span`: to parent later work, or to write into headers. */
export const contextOfSpan = (span: Span): Context => trace.setSpan(ROOT_CONTEXT, span);

/** The context of no trace: a span started under it begins a new trace. */
export const ROOT_TRACE_CONTEXT = ROOT_CONTEXT;

/** The active context: what work started now is traced under. */
export const activeTraceContext = (): Context => context.active();

/** Starts a span under `parent` (the active context by default). */
export const startSpan = (
  name: string,
  attributes: Attributes = {},
  parent: Context = context.active(),
  kind: SpanKind = SpanKind.INTERNAL,
): Span => tracer().startSpan(name, { kind, attributes }, parent);

/** Marks the active span, if any, failed: where an operation answers with a refusal. */
export const failActiveSpan = (reason: string): void => {
  const span = trace.getActiveSpan();
  if (span) failSpan(span, reason);
};

export { SpanKind } from '@opentelemetry/api';

export type { Context as TraceContext, Span } from '@opentelemetry/api';
