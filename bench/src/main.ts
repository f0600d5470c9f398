import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { configure, optionNames, parseArgs } from './cli';
import { profileIn, summariseProfile } from './measure/profile';
import { progress, output } from './print';
import { writeReport } from './report';
import { DEFAULT_RESULTS_DIR, recordRun, writeRecord } from './results';
import { SCENARIOS, type Scenario } from './scenarios';
import { startTarget, TARGET_NAMES, type TargetName } from './targets';
import { buildCentrifugo, centrifugoBinary } from './targets/centrifugo';
import { fleetUnavailable } from './targets/fleet';

const USAGE = `Usage: pnpm bench <scenario|all|report|build-centrifugo> [options]

Scenarios:
${Object.values(SCENARIOS)
  .map((scenario) => `  ${scenario.name.padEnd(9)} ${scenario.summary}`)
  .join('\n')}
  all       every scenario against its targets, one after the other (at most 25 minutes)
  report    rewrites the results section of BENCHMARKS.md from bench/results/*.json
  build-centrifugo  go install of Centrifugo v6 for the centrifugo baseline (bounded to 5 minutes)
  (plots: pnpm bench plot)

Options:
  --target a,b       ${TARGET_NAMES.join(', ')} (default: the scenario's)
  --smoke            tiny numbers, seconds long: checks the harness, measures nothing
  --results-dir DIR  where result files go (default: bench/results)
  --profile          runs the embedded platform under V8's CPU profiler; the result records where
                     its time went (the raw profile goes to <results-dir>/profiles/, not committed)
  and any key of the scenario's configuration, e.g. --connections 500 --rates 50,100 --step-seconds 5`;

/** All scenarios together stay within this (the issue's bound for a full measured run). */
const ALL_BUDGET_SECONDS = 25 * 60;
/** Starting and stopping a target (the fleet is the slowest) on top of a scenario's budget. */
const TARGET_OVERHEAD_SECONDS = 90;

const unavailable = async (target: TargetName): Promise<string | null> => {
  if (target === 'fleet') return fleetUnavailable();
  if (target === 'centrifugo' && !centrifugoBinary()) {
    return 'centrifugo binary not found (pnpm bench build-centrifugo)';
  }
  return null;
};

interface Outcome {
  scenario: string;
  target: string;
  file?: string;
  skipped?: string;
  failed?: string;
  record?: unknown;
}

/** Where the embedded target's CPU profile of a run is written, when profiling. */
const profileDirOf = (resultsDir: string, scenario: string) => {
  const dir = join(resultsDir, 'profiles', `${scenario}-embedded-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const runOne = async (
  scenario: Scenario<object, unknown>,
  target: TargetName,
  config: object,
  flags: { smoke: boolean; profile: boolean },
  resultsDir: string,
): Promise<Outcome> => {
  const { smoke } = flags;
  const base = { scenario: scenario.name, target };
  const reason = await unavailable(target);
  if (reason) {
    progress(`${scenario.name} × ${target}: skipped — ${reason}`);
    return { ...base, skipped: reason };
  }
  progress(`${scenario.name} × ${target}: starting`);
  // Stops by itself whatever happens: the exit handler takes the servers down with it.
  const watchdogSeconds = scenario.budget(config) + TARGET_OVERHEAD_SECONDS + 240;
  const watchdog = setTimeout(() => {
    progress(`${scenario.name} × ${target}: watchdog after ${watchdogSeconds} s; exiting`);
    process.exit(3);
  }, watchdogSeconds * 1000);
  try {
    const record = await recordRun(
      { scenario: scenario.name, target, smoke, config: config as Record<string, unknown> },
      async () => {
        const prepared = scenario.prepare ? await scenario.prepare(config) : undefined;
        const options = scenario.startOptions?.(prepared) ?? {};
        const profileDir =
          flags.profile && target === 'embedded' ? profileDirOf(resultsDir, scenario.name) : null;
        const running = await startTarget(
          target,
          profileDir ? { ...options, embedded: { ...options.embedded, profileDir } } : options,
        );
        let result: unknown;
        try {
          result = await scenario.run(running, config, prepared);
        } finally {
          await running.stop();
        }
        const profile = profileDir ? profileIn(profileDir) : null;
        return {
          result,
          settings: running.settings,
          notes: running.notes,
          ...(profile ? { profile: summariseProfile(profile) } : {}),
        };
      },
    );
    const file = await writeRecord(record, resultsDir);
    progress(`${scenario.name} × ${target}: done in ${record.duration_s} s → ${file}`);
    return { ...base, file, record };
  } catch (error) {
    progress(`${scenario.name} × ${target}: FAILED — ${(error as Error).stack ?? String(error)}`);
    return { ...base, failed: (error as Error).message.slice(0, 2_000) };
  } finally {
    clearTimeout(watchdog);
  }
};

const main = async (): Promise<number> => {
  const { words, options } = parseArgs(process.argv.slice(2));
  const command = words[0];
  const resultsDir = options.get('results-dir') ?? DEFAULT_RESULTS_DIR;
  if (!command || command === 'help' || options.has('help')) {
    output(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'report') {
    output(`wrote ${writeReport(resultsDir)}`);
    return 0;
  }
  if (command === 'build-centrifugo') {
    const failure = buildCentrifugo();
    output(failure ?? `built: ${centrifugoBinary()}`);
    return failure ? 1 : 0;
  }
  const names = command === 'all' ? Object.keys(SCENARIOS) : [command];
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario "${name}"\n\n${USAGE}`);
  const smoke = options.has('smoke');
  const requested = options.get('target')?.split(',') as TargetName[] | undefined;
  for (const target of requested ?? []) {
    if (!TARGET_NAMES.includes(target)) throw new Error(`unknown target "${target}"`);
  }
  const known = new Set(['target', 'smoke', 'results-dir', 'profile']);
  const flags = { smoke, profile: options.has('profile') };
  const began = performance.now();
  const outcomes: Outcome[] = [];
  for (const name of names) {
    const scenario = SCENARIOS[name]!;
    const config = configure(scenario.defaults, smoke ? scenario.smoke : null, options);
    if (command !== 'all') {
      const allowed = new Set([...known, ...optionNames(scenario.defaults).map((option) => option.slice(2))]);
      const unknown = [...options.keys()].filter((key) => !allowed.has(key));
      if (unknown.length > 0) {
        throw new Error(
          `unknown option(s) ${unknown.join(', ')}; ${name} takes ${optionNames(scenario.defaults).join(' ')}`,
        );
      }
    }
    for (const target of requested ?? scenario.targets) {
      const elapsed = (performance.now() - began) / 1000;
      if (
        command === 'all' &&
        elapsed + scenario.budget(config) + TARGET_OVERHEAD_SECONDS > ALL_BUDGET_SECONDS
      ) {
        outcomes.push({ scenario: name, target, skipped: 'the 25-minute bound of `all` was reached' });
        continue;
      }
      outcomes.push(await runOne(scenario, target, config, flags, resultsDir));
    }
  }
  output(JSON.stringify({ results: outcomes }, null, 2));
  return outcomes.some((outcome) => outcome.failed) ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress((error as Error).message);
    process.exit(2);
  },
);
