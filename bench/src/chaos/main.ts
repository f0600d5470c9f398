import { configure, optionNames, parseArgs } from '../cli';
import { output, progress } from '../print';
import { DEFAULT_RESULTS_DIR, recordRun, writeRecord } from '../results';
import { FAULTS } from './faults';
import { runChaos, type ChaosConfig } from './run';
import { chaosTable } from './table';

/** The full run (`pnpm test:chaos`): RELIABILITY.md's table. */
const FULL: ChaosConfig = {
  clients: 200,
  roomSize: 5,
  rate: 200,
  faults: [...FAULTS.keys()].join(','),
  warmupSeconds: 20,
  baselineSeconds: 20,
  settleSeconds: 5,
  maxWindowSeconds: 120,
  thresholdMs: 500,
  thresholdFactor: 3,
  stableSeconds: 5,
  answerTimeoutSeconds: 15,
  maxAttempts: 10,
  drainSeconds: 60,
  historySeconds: 300,
  sources: 2,
};

/** The short form CI runs after the integration suite: a couple of minutes. */
const SHORT: Partial<ChaosConfig> = {
  clients: 20,
  roomSize: 4,
  rate: 20,
  faults: 'message,gateway,kafka',
  warmupSeconds: 10,
  baselineSeconds: 10,
  settleSeconds: 2,
  maxWindowSeconds: 45,
  stableSeconds: 3,
  drainSeconds: 30,
  historySeconds: 120,
};

const USAGE = `Usage: pnpm test:chaos [--short] [options]

Runs the fleet on the servers of \${CHAT_INFRA_RUN:-/tmp/chat-infra}/env under load and injects
faults one at a time (it restarts and stops those servers: never point it at servers others use).
Faults: ${[...FAULTS.keys()].join(', ')}.
Options: --short (the CI form), --results-dir DIR, ${optionNames(FULL).join(' ')}`;

const main = async (): Promise<number> => {
  const { options } = parseArgs(process.argv.slice(2));
  if (options.has('help')) {
    output(USAGE);
    return 0;
  }
  const short = options.has('short');
  const known = new Set(['short', 'results-dir', ...optionNames(FULL).map((name) => name.slice(2))]);
  const unknown = [...options.keys()].filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.join(', ')}\n\n${USAGE}`);
  const config = configure(FULL, short ? SHORT : null, options);
  const faults = config.faults.split(',').length;
  // Stops by itself: setup, baseline, every fault's longest window plus its own length, the drains.
  const budgetSeconds =
    180 +
    config.baselineSeconds +
    faults * (config.maxWindowSeconds + 90) +
    config.drainSeconds +
    2 * config.historySeconds;
  const watchdog = setTimeout(() => {
    progress(`chaos: watchdog after ${budgetSeconds} s; exiting`);
    process.exit(3);
  }, budgetSeconds * 1000);
  progress(
    `chaos: servers of ${process.env.CHAT_INFRA_RUN ?? '/tmp/chat-infra'}; at most ${budgetSeconds} s`,
  );
  const record = await recordRun(
    { scenario: short ? 'chaos-short' : 'chaos', target: 'fleet', smoke: false, config: { ...config } },
    async () => ({
      result: await runChaos(config),
      settings: { CHAT_INFRA_RUN: process.env.CHAT_INFRA_RUN ?? '/tmp/chat-infra' },
      notes: [
        'every service and two gateways as processes on infra/local servers, generator on the same machine',
      ],
    }),
  );
  clearTimeout(watchdog);
  const file = await writeRecord(record, options.get('results-dir') ?? DEFAULT_RESULTS_DIR);
  const result = record.result as Awaited<ReturnType<typeof runChaos>>;
  output(chaosTable(result, config.maxWindowSeconds));
  const { lost, duplicates, order_violations, history_gaps, acked } = result.totals;
  output(
    `\n${result.connected}/${result.clients} clients in ${result.rooms} rooms at ${config.rate} msg/s; ` +
      `history gaps ${history_gaps}; redelivered (deduplicated by seq) ${result.totals.redelivered_deduplicated}; ` +
      `members still behind after the drain ${result.members_behind.length}; ` +
      `loadavg ${record.loadavg_start.join(' ')} → ${record.loadavg_end.join(' ')}; written to ${file}`,
  );
  const { read_model_check: readModel } = result;
  if (!readModel.caught_up_without_restart) {
    output(
      `read model behind or unreadable after the drain (${readModel.errors_before_restart.join('; ')}); ` +
        `after restarting the message service: ${readModel.caught_up ? 'caught up' : readModel.errors.join('; ')}`,
    );
  }
  if (acked === 0) {
    progress('chaos: FAILED — nothing was acknowledged');
    return 1;
  }
  if (lost + duplicates + order_violations + history_gaps > 0) {
    progress(
      `chaos: FAILED — lost ${lost}, duplicates ${duplicates}, order ${order_violations}, gaps ${history_gaps}`,
    );
    return 1;
  }
  if (!readModel.caught_up) {
    progress('chaos: FAILED — the history API never showed every acknowledged message');
    return 1;
  }
  progress('chaos: no acknowledged message lost, duplicated or out of order');
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`chaos: ${(error as Error).stack ?? String(error)}`);
    process.exit(2);
  },
);
