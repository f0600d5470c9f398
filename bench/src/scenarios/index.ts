import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedHistory, type SeededHistory } from '../history/seed';
import type { StartOptions } from '../targets';
import type { Target, TargetName } from '../targets/target';
import { runE2ee, type E2eeConfig } from './e2ee';
import { runHistory, type HistoryConfig } from './history';
import { runIdle, type IdleConfig } from './idle';
import { runStorm, type StormConfig } from './storm';
import { runTraffic, type TrafficConfig } from './traffic';

/**
 * One benchmark: its configuration (defaults for the measured run, tiny numbers for the smoke
 * run, any key overridable from the command line), the targets it runs against, and how.
 */
export interface Scenario<Config extends object, Prepared = undefined> {
  name: string;
  summary: string;
  targets: TargetName[];
  defaults: Config;
  smoke: Partial<Config>;
  /** Per target run: its budget in seconds (each run also stops by itself past it). */
  budget(config: Config): number;
  prepare?(config: Config): Promise<Prepared>;
  startOptions?(prepared: Prepared): StartOptions;
  run(target: Target, config: Config, prepared: Prepared): Promise<unknown>;
}

const traffic = (
  name: string,
  summary: string,
  targets: TargetName[],
  defaults: TrafficConfig,
): Scenario<TrafficConfig> => ({
  name,
  summary,
  targets,
  defaults,
  smoke: {
    connections: 20,
    roomSize: 5,
    rates: [20],
    stepSeconds: 2,
    drainSeconds: 1,
    sources: 2,
    budgetSeconds: 20,
  },
  budget: (config) => config.budgetSeconds,
  run: (target, config) => runTraffic(target, config),
});

export const fanout = traffic(
  'fanout',
  '1,000 connections in rooms of 50, every member a sender, total rate stepped up until p99 delivery passes 100 ms',
  ['embedded', 'fleet', 'uws', 'socketio', 'centrifugo'],
  {
    connections: 1_000,
    roomSize: 50,
    rates: [25, 50, 100, 200, 400, 800, 1_600, 3_200],
    stepSeconds: 10,
    drainSeconds: 3,
    thresholdMs: 100,
    contentBytes: 100,
    sources: 8,
    budgetSeconds: 170,
    maxPerSenderRate: 15,
  },
);

/**
 * Rooms of two: each message is stored once and delivered twice (to its sender and the other
 * member), so the generator — one Node process receiving every delivery — stays well below its
 * own limit at the rates the persisted path reaches, and the step measures the write path.
 */
export const persist = traffic(
  'persist',
  'the persisted path (send → ack → delivery through event store, bus and projections): 600 connections in rooms of 2, stepped rate',
  ['embedded', 'fleet', 'uws'],
  {
    connections: 600,
    roomSize: 2,
    rates: [250, 500, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 8_000],
    stepSeconds: 10,
    drainSeconds: 3,
    thresholdMs: 100,
    contentBytes: 100,
    sources: 2,
    budgetSeconds: 150,
    maxPerSenderRate: 15,
  },
);

export interface HistoryScenarioConfig extends HistoryConfig {
  /** Where the seeded data directory is kept between runs. */
  dataDir: string;
}

export const history: Scenario<HistoryScenarioConfig, SeededHistory> = {
  name: 'history',
  summary: 'pages of 50 over REST from a room of 1,000,000 messages, stepped request rate',
  targets: ['embedded'],
  defaults: {
    messages: 1_000_000,
    rates: [50, 100, 200, 400, 800, 1_600],
    stepSeconds: 10,
    thresholdMs: 100,
    maxInFlight: 64,
    floorSeconds: 5,
    budgetSeconds: 120,
    dataDir: '',
  },
  smoke: { messages: 2_000, rates: [20], stepSeconds: 2, floorSeconds: 1, budgetSeconds: 20 },
  budget: (config) => config.budgetSeconds,
  prepare: (config) =>
    seedHistory(config.dataDir || join(tmpdir(), `chat-bench-history-${config.messages}`), config.messages),
  startOptions: (seeded) => ({ embedded: { dataDir: seeded.data_dir } }),
  run: (target, config, seeded) => runHistory(target, seeded, config),
};

export const storm: Scenario<StormConfig> = {
  name: 'storm',
  summary: '10,000 clients connecting and authenticating at the same moment',
  targets: ['embedded', 'fleet', 'uws', 'socketio', 'centrifugo'],
  defaults: { clients: 10_000, sources: 8, timeoutSeconds: 60 },
  smoke: { clients: 50, sources: 2, timeoutSeconds: 10 },
  budget: (config) => config.timeoutSeconds + 30,
  run: (target, config) => runStorm(target, config),
};

export const idle: Scenario<IdleConfig> = {
  name: 'idle',
  summary:
    'as many idle authenticated connections as fit (≤ 50,000 and the open-files limit): memory per connection',
  targets: ['embedded', 'fleet', 'uws', 'socketio', 'centrifugo'],
  defaults: {
    maxConnections: 50_000,
    batch: 2_500,
    concurrency: 200,
    sources: 8,
    memoryLimitMiB: 4_096,
    settleSeconds: 2,
    holdSeconds: 10,
    budgetSeconds: 120,
  },
  smoke: { maxConnections: 40, batch: 20, settleSeconds: 0.5, holdSeconds: 1, budgetSeconds: 20 },
  budget: (config) => config.budgetSeconds,
  run: (target, config) => runIdle(target, config),
};

export const e2ee: Scenario<E2eeConfig> = {
  name: 'e2ee',
  summary:
    'end-to-end encryption on the message path: 20 rooms of two through the SDK at 100 msg/s, plain then MLS-encrypted',
  targets: ['embedded', 'fleet'],
  defaults: { pairs: 20, messagesPerPair: 100, rate: 100, contentBytes: 100, budgetSeconds: 120 },
  smoke: { pairs: 2, messagesPerPair: 5, rate: 20, budgetSeconds: 20 },
  budget: (config) => config.budgetSeconds * 2 + 30,
  run: (target, config) => runE2ee(target, config),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SCENARIOS: Record<string, Scenario<any, any>> = { fanout, persist, history, storm, idle, e2ee };
