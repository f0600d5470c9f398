import { BenchClient } from '../load/client';
import { closeAll, sourceAddress, tokensFor } from '../load/connect';
import { ErrorCounts, PerSecond } from '../measure/counters';
import { LatencyHistogram, type LatencySummary } from '../measure/histogram';
import { CpuMeter, cpuOf, listenQueueCounters } from '../measure/proc';
import { progress } from '../print';
import type { Target } from '../targets/target';
import { sampleMemory, type MemorySample } from './memory';

export interface StormConfig {
  clients: number;
  sources: number;
  /** Clients not authenticated by then count as failed. */
  timeoutSeconds: number;
}

export interface StormResult {
  clients: number;
  authenticated: number;
  failed: number;
  /** From the storm's start (every client's intended start) to the WebSocket being open. */
  open_ms: LatencySummary;
  /** From the storm's start to `authenticated`. */
  authenticated_ms: LatencySummary;
  /** Until the last client that made it was authenticated. */
  all_authenticated_s: number;
  authenticated_per_s: { max: number; timeline: number[] };
  /** The generator's own time to issue every connect, to judge how simultaneous "at once" was. */
  issue_ms: number;
  server_cpu_pct: number;
  memory_before: MemorySample;
  memory_after: MemorySample;
  /**
   * Connection attempts the kernel could not queue for the server during the storm
   * (/proc/net/netstat deltas): each costs its client a SYN retransmission, 1 s, then 2, 4, 8 s…
   */
  listen_queue: Record<string, number>;
  errors: Record<string, number>;
}

/** Every client connects and authenticates at the same moment; nothing is paced. */
export const runStorm = async (target: Target, config: StormConfig): Promise<StormResult> => {
  const errors = new ErrorCounts();
  const userIds = Array.from({ length: config.clients }, (_, index) => `storm${index}`);
  const tokens = await tokensFor(userIds);
  const memory_before = await sampleMemory(target, 0);
  const opened = new LatencyHistogram();
  const authenticated = new LatencyHistogram();
  const clients: BenchClient[] = [];
  const cpu = new CpuMeter(cpuOf(target.serverPids()));
  progress(`${target.name}: storm of ${config.clients} clients`);

  const queueBefore = listenQueueCounters();
  const start = performance.now();
  const perSecond = new PerSecond(start);
  const attempts = userIds.map((userId, index) => {
    const client = new BenchClient(index, userId, errors);
    clients.push(client);
    return client
      .start(
        target.wire,
        target.wsUrls[index % target.wsUrls.length]!,
        sourceAddress(index, config.sources),
        tokens[index]!,
        config.timeoutSeconds * 1000,
      )
      .then(
        () => {
          opened.recordMs(client.openedAt - start);
          authenticated.recordMs(client.authenticatedAt - start);
          perSecond.add(client.authenticatedAt);
          return true;
        },
        () => false,
      );
  });
  const issue_ms = Math.round(performance.now() - start);
  const outcomes = await Promise.all(attempts);
  const last = Math.max(start, ...clients.map((client) => client.authenticatedAt));
  const server_cpu_pct = cpu.percent();
  const queueAfter = listenQueueCounters();
  const succeeded = outcomes.filter(Boolean).length;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const memory_after = await sampleMemory(target, succeeded);
  closeAll(clients);
  const seconds = Math.ceil((last - start) / 1000);
  const timeline = perSecond.timeline(Math.max(1, seconds));
  return {
    clients: config.clients,
    authenticated: succeeded,
    failed: config.clients - succeeded,
    open_ms: opened.summary(),
    authenticated_ms: authenticated.summary(),
    all_authenticated_s: Math.round(last - start) / 1000,
    authenticated_per_s: { max: Math.max(0, ...timeline), timeline },
    issue_ms,
    server_cpu_pct,
    memory_before,
    memory_after,
    listen_queue: Object.fromEntries(
      Object.entries(queueAfter).map(([name, value]) => [name, value - (queueBefore[name] ?? 0)]),
    ),
    errors: errors.toJSON(),
  };
};
