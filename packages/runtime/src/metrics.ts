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

export const histogram = (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
  existing<Histogram<string>>(registry, name) ??
  new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [registry] });
