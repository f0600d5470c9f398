import type { BenchClient } from '../load/client';
import { closeAll, connectClients } from '../load/connect';
import { ErrorCounts } from '../measure/counters';
import { hardNoFileLimit } from '../measure/proc';
import { progress } from '../print';
import type { Target } from '../targets/target';
import { sampleMemory, slope, type MemorySample } from './memory';

export interface IdleConfig {
  /** Upper bound on connections; also capped below the open-files limit (see `effectiveMax`). */
  maxConnections: number;
  /** Connections added between two memory samples. */
  batch: number;
  concurrency: number;
  sources: number;
  /** Stop adding once the gateway's RSS passes this. */
  memoryLimitMiB: number;
  settleSeconds: number;
  /** How long the connections then sit idle before the last sample (heartbeats keep them). */
  holdSeconds: number;
  budgetSeconds: number;
}

export interface IdleResult {
  connections: number;
  /** Still open after the hold. */
  still_open_after_hold: number;
  stopped_because: string;
  open_files_limit: number;
  before: MemorySample;
  after_hold: MemorySample;
  samples: MemorySample[];
  /** (after − before) / connections. */
  per_connection: { rss_bytes: number; rss_anon_bytes: number; heap_bytes: number | null };
  /** Least-squares slope over the samples, less sensitive to one noisy reading. */
  per_connection_slope: { rss_bytes: number | null; heap_bytes: number | null };
  errors: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every socket is a file descriptor in the generator and in the server, and neither may hold
 * more than the hard open-files limit (`ulimit -Hn`; 20,000 on the machine these figures come
 * from, and not raisable there).
 */
export const effectiveMax = (config: IdleConfig): number =>
  Math.min(config.maxConnections, hardNoFileLimit() - 500);

/** Authenticated connections that do nothing, added batch by batch, memory sampled in between. */
export const runIdle = async (target: Target, config: IdleConfig): Promise<IdleResult> => {
  const began = performance.now();
  const errors = new ErrorCounts();
  const max = effectiveMax(config);
  const connect = (count: number, offset: number) =>
    connectClients(target, count, {
      concurrency: config.concurrency,
      sources: config.sources,
      timeoutMs: 30_000,
      errors,
      offset,
      userPrefix: 'idle',
    });

  // Warm-up: the first connections pay for code paths compiled and pools grown once.
  const warm = await connect(Math.min(100, max), 1_000_000);
  closeAll(warm);
  await sleep(config.settleSeconds * 1000);
  const before = await sampleMemory(target, 0);
  const samples: MemorySample[] = [before];
  const clients: BenchClient[] = [];
  let stopped_because = 'max_connections';
  let attempted = 0;
  while (attempted < max) {
    const elapsed = (performance.now() - began) / 1000;
    if (elapsed + config.holdSeconds + 2 * config.settleSeconds > config.budgetSeconds) {
      stopped_because = 'budget';
      break;
    }
    const count = Math.min(config.batch, max - attempted);
    clients.push(...(await connect(count, attempted)));
    attempted += count;
    await sleep(config.settleSeconds * 1000);
    const sample = await sampleMemory(target, clients.filter((client) => !client.closed).length);
    samples.push(sample);
    progress(
      `${target.name}: ${sample.connections} idle connections, RSS ${Math.round(sample.rss_kib / 1024)} MiB`,
    );
    if (attempted - clients.length > 0.05 * attempted) {
      stopped_because = 'connection_failures';
      break;
    }
    if (sample.rss_kib / 1024 > config.memoryLimitMiB) {
      stopped_because = 'memory_limit';
      break;
    }
  }
  if (stopped_because === 'max_connections' && max < config.maxConnections)
    stopped_because = 'open_files_limit';
  await sleep(config.holdSeconds * 1000);
  const open = clients.filter((client) => !client.closed).length;
  const after_hold = await sampleMemory(target, open);
  closeAll(clients);
  const n = Math.max(1, clients.length);
  const heapSamples = samples.filter((sample) => sample.heap_bytes !== null);
  return {
    connections: clients.length,
    still_open_after_hold: open,
    stopped_because,
    open_files_limit: hardNoFileLimit(),
    before,
    after_hold,
    samples,
    per_connection: {
      rss_bytes: Math.round(((after_hold.rss_kib - before.rss_kib) * 1024) / n),
      rss_anon_bytes: Math.round(((after_hold.rss_anon_kib - before.rss_anon_kib) * 1024) / n),
      heap_bytes:
        after_hold.heap_bytes !== null && before.heap_bytes !== null
          ? Math.round((after_hold.heap_bytes - before.heap_bytes) / n)
          : null,
    },
    per_connection_slope: {
      rss_bytes: round(slope(samples.map((sample) => [sample.connections, sample.rss_kib * 1024]))),
      heap_bytes: round(slope(heapSamples.map((sample) => [sample.connections, sample.heap_bytes!]))),
    },
    errors: errors.toJSON(),
  };
};

const round = (value: number | null) => (value === null ? null : Math.round(value));
