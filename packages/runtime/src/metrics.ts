import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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
 * What the bus adapters count (the shape of `@chat/bus`'s `BusMetrics`): handler failures, and
 * records dead-lettered after their handler kept failing.
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
  return {
    handlerFailed: (group: string, topic: string, transient: boolean) =>
      failures.inc({ group, topic, transient: String(transient) }),
    deadLettered: (group: string, topic: string) => deadLetters.inc({ group, topic }),
  };
};

/** Buckets for how many items a batch carried. */
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
