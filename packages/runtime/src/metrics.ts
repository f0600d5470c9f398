import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process: the embedded host shares it between the services it runs. */
export const createRegistry = (): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
};

/** Latency buckets (seconds) from 0.1 ms to 5 s, for appends, deliveries and requests. */
export const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

const existing = <T>(registry: Registry, name: string) => registry.getSingleMetric(name) as T | undefined;

/** Gets or creates a metric, so two services in one process can ask for the same one. */
export const counter = (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
  existing<Counter<string>>(registry, name) ?? new Counter({ name, help, labelNames, registers: [registry] });

export const gauge = (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
  existing<Gauge<string>>(registry, name) ?? new Gauge({ name, help, labelNames, registers: [registry] });

export const histogram = (
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[] = [],
  buckets: number[] = LATENCY_BUCKETS,
) =>
  existing<Histogram<string>>(registry, name) ??
  new Histogram({ name, help, labelNames, buckets, registers: [registry] });

/**
 * What the bus adapters count (the shape of `@chat/bus`'s `BusMetrics`): handler failures,
 * records dead-lettered after their handler kept failing, batches handled, and each group's
 * position and lag per partition (a projection's position is its group's).
 */
export const createBusMetrics = (registry: Registry) => {
  const failures = counter(
    registry,
    'chat_bus_handler_failures_total',
    'Bus batch handlers that threw, by group, topic and kind.',
    ['group', 'topic', 'transient'],
  );
  const deadLetters = counter(
    registry,
    'chat_bus_dead_letters_total',
    'Records moved to <topic>.dlq because their handler kept failing, by group and topic.',
    ['group', 'topic'],
  );
  const records = counter(
    registry,
    'chat_bus_records_handled_total',
    'Records handled by a consumer group, by group and topic.',
    ['group', 'topic'],
  );
  const batchSeconds = histogram(
    registry,
    'chat_bus_batch_seconds',
    'Time to handle a batch, retries included, by group and topic.',
    ['group', 'topic'],
  );
  const position = gauge(
    registry,
    'chat_bus_consumer_offset',
    'The next offset a consumer group takes, by group, topic and partition: its position.',
    ['group', 'topic', 'partition'],
  );
  const lag = gauge(
    registry,
    'chat_bus_consumer_lag',
    'Records published to a partition that its consumer group has not handled yet, as of its last commit.',
    ['group', 'topic', 'partition'],
  );
  return {
    handlerFailed: (group: string, topic: string, transient: boolean) =>
      failures.inc({ group, topic, transient: String(transient) }),
    deadLettered: (group: string, topic: string) => deadLetters.inc({ group, topic }),
    batchHandled: (group: string, topic: string, count: number, seconds: number) => {
      records.inc({ group, topic }, count);
      batchSeconds.observe({ group, topic }, seconds);
    },
    committed: (
      group: string,
      topic: string,
      partition: number,
      committedOffset: number,
      endOffset: number,
    ) => {
      const labels = { group, topic, partition: String(partition) };
      position.set(labels, committedOffset);
      lag.set(labels, Math.max(0, endOffset - committedOffset));
    },
  };
};

/** Observes how long one event-store append (of a batch of streams) took, in seconds. */
export const eventStoreAppendObserver = (registry: Registry) => {
  const seconds = histogram(
    registry,
    'chat_eventstore_append_seconds',
    'Time of one event-store append (the streams of a batch of commands, together).',
  );
  return (elapsed: number) => seconds.observe(elapsed);
};

/** Buckets for how many items a batch carried. */
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
