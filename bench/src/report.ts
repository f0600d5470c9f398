import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LatencySummary } from './measure/histogram';
import type { RunRecord } from './results';
import type { E2eeConfig, E2eeResult } from './scenarios/e2ee';
import type { HistoryResult } from './scenarios/history';
import type { IdleResult } from './scenarios/idle';
import type { StormResult } from './scenarios/storm';
import type { StepResult, TrafficResult } from './scenarios/traffic';

const BENCHMARKS_MD = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
const START = '<!-- results:start (pnpm bench report) -->';
const END = '<!-- results:end -->';

const ORDER = ['embedded', 'fleet', 'uws', 'socketio', 'centrifugo'];
const OURS = ['embedded', 'fleet'];
const BASELINES = ['uws', 'socketio', 'centrifugo'];
const LABEL: Record<string, string> = {
  embedded: 'platform, embedded',
  fleet: 'platform, fleet',
  uws: 'raw uWS (baseline)',
  socketio: 'Socket.IO (baseline)',
  centrifugo: 'Centrifugo (baseline)',
};

const table = (head: string[], rows: (string | number)[][]): string =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

const fixed = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? '—' : value.toFixed(digits);
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a && b ? `${(a / b).toFixed(2)}×` : '—';
const kib = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? '—' : (bytes / 1024).toFixed(1);
const latencies = (summary: LatencySummary) =>
  `${fixed(summary.p50)} / ${fixed(summary.p99)} / ${fixed(summary.p99_9)} / ${fixed(summary.max)}`;
const errors = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([code, count]) => `${code}: ${count}`)
    .join(', ') || 'none';

const load = (resultsDir: string): RunRecord[] =>
  existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((file) => file.endsWith('.json'))
        .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as RunRecord)
        .filter((record) => !record.smoke)
    : [];

const byTarget = (records: RunRecord[], scenario: string) =>
  records
    .filter((record) => record.scenario === scenario)
    .sort((a, b) => ORDER.indexOf(a.target) - ORDER.indexOf(b.target));

const stepAt = (result: TrafficResult | undefined, rate: number | null) =>
  result?.steps.find((step) => step.rate === rate);

const trafficSection = (records: RunRecord[], scenario: string): string => {
  const runs = byTarget(records, scenario);
  if (runs.length === 0) return `_No ${scenario} results yet._`;
  const results = new Map(runs.map((run) => [run.target, run.result as TrafficResult]));
  const first = results.values().next().value!;
  const summary = table(
    [
      'target',
      'p99 threshold (ms)',
      'highest rate within it (msg/s)',
      'deliveries/s there',
      'delivery p50 / p99 / p99.9 / max (ms) there',
      'ack p99 (ms) there',
      'next step',
    ],
    runs.map(({ target, config }) => {
      const result = results.get(target)!;
      const best = stepAt(result, result.max_rate_within_threshold);
      const next = result.steps[result.steps.indexOf(best!) + 1] ?? (best ? undefined : result.steps[0]);
      return [
        LABEL[target] ?? target,
        typeof config.thresholdMs === 'number' ? config.thresholdMs : '—',
        result.max_rate_within_threshold ?? '< first step',
        result.delivered_per_s_at_max_rate ?? '—',
        best ? latencies(best.delivery_ms) : '—',
        best ? fixed(best.ack_ms.p99) : '—',
        next
          ? `${next.rate} msg/s: p99 ${fixed(next.delivery_ms.p99)} ms, lost ${next.missing_acks + next.missing_deliveries}, generator CPU ${next.generator_cpu_pct}%`
          : result.stopped_because,
      ];
    }),
  );
  const ratios = OURS.filter((ours) => results.has(ours)).map((ours) => {
    const mine = results.get(ours)!;
    const cells = BASELINES.filter((baseline) => results.has(baseline)).map((baseline) => {
      const theirs = results.get(baseline)!;
      const rate = mine.max_rate_within_threshold;
      const at = stepAt(theirs, rate);
      const p99 = stepAt(mine, rate)?.delivery_ms.p99;
      return `${ratio(rate, theirs.max_rate_within_threshold)} of its rate; p99 at ${rate ?? '—'} msg/s ${ratio(p99, at?.delivery_ms.p99)} its p99`;
    });
    return [LABEL[ours] ?? ours, ...cells];
  });
  const ratioTable =
    ratios.length > 0
      ? table(
          ['ours vs', ...BASELINES.filter((baseline) => results.has(baseline)).map((b) => LABEL[b] ?? b)],
          ratios,
        )
      : '';
  const steps = table(
    [
      'target',
      'offered msg/s',
      'deliveries/s',
      'ack p50 / p99 (ms)',
      'delivery p50 / p99 / p99.9 / max (ms)',
      'lost',
      'server CPU %',
      'generator CPU %',
    ],
    runs.flatMap(({ target }) =>
      results
        .get(target)!
        .steps.map((step: StepResult) => [
          target,
          step.rate,
          step.delivered_per_s.mean,
          `${fixed(step.ack_ms.p50)} / ${fixed(step.ack_ms.p99)}`,
          latencies(step.delivery_ms),
          step.missing_acks + step.missing_deliveries + step.rejected,
          step.server_cpu_pct,
          step.generator_cpu_pct,
        ]),
    ),
  );
  return [
    `${first.connected} connections in rooms of ${first.room_size}, every member a sender; each step ${runs[0]!.config.stepSeconds} s at a constant total rate.`,
    summary,
    ratioTable,
    cpuCostTable(results),
    ...runs.flatMap((run) => (run.profile ? [profileSection(run)] : [])),
    '<details><summary>Every step</summary>\n',
    steps,
    '\n</details>',
  ]
    .filter(Boolean)
    .join('\n\n');
};

/** Server CPU time per message and per delivery: a share of one core over the step's rate. */
const cpuPer = (step: StepResult) => ({
  message: (step.server_cpu_pct * 10) / step.rate,
  delivery: (step.server_cpu_pct * 10) / Math.max(1, step.delivered_per_s.mean),
});

/**
 * What a message and a delivery cost the server in CPU, ours next to raw uWS's at each rate both
 * ran within the criterion: the price of durability, validation and the projections per message.
 */
const cpuCostTable = (results: Map<string, TrafficResult>): string => {
  const reference = results.get('uws');
  const rows = OURS.filter((ours) => results.has(ours)).flatMap((ours) =>
    results
      .get(ours)!
      .steps.filter((step) => step.within_threshold)
      .map((step) => {
        const mine = cpuPer(step);
        const at = stepAt(reference, step.rate);
        const theirs = at ? cpuPer(at) : null;
        return [
          LABEL[ours] ?? ours,
          step.rate,
          `${step.server_cpu_pct}%`,
          `${fixed(mine.message * 1000, 0)} µs`,
          `${fixed(mine.delivery * 1000, 1)} µs`,
          theirs ? `${fixed(theirs.message * 1000, 0)} µs / ${fixed(theirs.delivery * 1000, 1)} µs` : '—',
          theirs ? ratio(mine.message, theirs.message) : '—',
        ];
      }),
  );
  if (rows.length === 0) return '';
  return table(
    [
      'target',
      'msg/s',
      'server CPU',
      'CPU per message',
      'CPU per delivery',
      'raw uWS per message / per delivery, same rate',
      'ours ÷ uWS per message',
    ],
    rows,
  );
};

/** Where the profiled process spent its busy time during the run. */
const profileSection = (run: RunRecord): string => {
  const profile = run.profile!;
  const shares = (list: { where: string; pct: number }[]) =>
    list.map(({ where, pct }) => [`${pct}%`, `\`${where}\``]);
  return [
    `CPU profile of the ${LABEL[run.target] ?? run.target} process over the run (rates ${(run.config.rates as number[]).join(', ')} msg/s): busy ${profile.busy_ms} ms of ${profile.profiled_ms} ms profiled; self time, idle excluded:`,
    table(['share', 'where'], shares(profile.by_place)),
    '<details><summary>By function</summary>\n',
    table(['share', 'function — file:line'], shares(profile.by_function)),
    '\n</details>',
  ].join('\n\n');
};

const historySection = (records: RunRecord[]): string => {
  const run = byTarget(records, 'history')[0];
  if (!run) return '_No history results yet._';
  const result = run.result as HistoryResult;
  const floor = result.read_model_in_process_ms;
  return [
    `Room of ${result.messages.toLocaleString('en')} messages (seeded in ${result.seeded_in_s} s${result.seed_reused ? ', reused from an earlier run' : ''}); pages of ${result.page_size}: a third newest page, a third \`before_seq\`, a third \`after_seq\` at random seqs. ` +
      `The floor — the same pages read in-process from the SQLite read model, one after another — is p50 ${fixed(floor.p50, 2)} ms, p99 ${fixed(floor.p99, 2)} ms.`,
    table(
      [
        'offered req/s',
        'completed/s',
        'p50 / p99 / p99.9 / max (ms)',
        'p50 vs floor',
        'errors',
        'server CPU %',
      ],
      result.steps.map((step) => [
        step.rate,
        step.completed_per_s,
        latencies(step.latency_ms),
        ratio(step.latency_ms.p50, floor.p50),
        errors(step.errors),
        step.server_cpu_pct,
      ]),
    ),
  ].join('\n\n');
};

const stormSection = (records: RunRecord[]): string => {
  const runs = byTarget(records, 'storm');
  if (runs.length === 0) return '_No storm results yet._';
  const uws = runs.find((run) => run.target === 'uws')?.result as StormResult | undefined;
  return table(
    [
      'target',
      'authenticated',
      'all in (s)',
      'vs raw uWS',
      'authenticated p50 / p99 / p99.9 / max (ms)',
      'server CPU %',
      'RSS growth (MiB)',
      'errors',
    ],
    runs.map((run) => {
      const result = run.result as StormResult;
      return [
        LABEL[run.target] ?? run.target,
        `${result.authenticated} / ${result.clients}`,
        fixed(result.all_authenticated_s, 2),
        ratio(result.all_authenticated_s, uws?.all_authenticated_s),
        latencies(result.authenticated_ms),
        result.server_cpu_pct,
        fixed((result.memory_after.rss_kib - result.memory_before.rss_kib) / 1024, 0),
        errors(result.errors),
      ];
    }),
  );
};

const idleSection = (records: RunRecord[]): string => {
  const runs = byTarget(records, 'idle');
  if (runs.length === 0) return '_No idle results yet._';
  const rssOf = (target: string) =>
    (runs.find((run) => run.target === target)?.result as IdleResult | undefined)?.per_connection.rss_bytes;
  return table(
    [
      'target',
      'connections (open after hold)',
      'stopped by',
      'RSS KiB / conn',
      'anon RSS KiB / conn',
      'heap KiB / conn',
      'RSS slope KiB / conn',
      'RSS vs raw uWS',
      'RSS before → after (MiB)',
    ],
    runs.map((run) => {
      const result = run.result as IdleResult;
      return [
        LABEL[run.target] ?? run.target,
        `${result.connections} (${result.still_open_after_hold})`,
        result.stopped_because,
        kib(result.per_connection.rss_bytes),
        kib(result.per_connection.rss_anon_bytes),
        kib(result.per_connection.heap_bytes),
        kib(result.per_connection_slope.rss_bytes),
        ratio(result.per_connection.rss_bytes, rssOf('uws')),
        `${fixed(result.before.rss_kib / 1024, 0)} → ${fixed(result.after_hold.rss_kib / 1024, 0)}`,
      ];
    }),
  );
};

const e2eeSection = (records: RunRecord[]): string => {
  const runs = byTarget(records, 'e2ee');
  if (runs.length === 0) return '_No e2ee results yet._';
  return table(
    [
      'target',
      'rooms',
      'rate (msg/s)',
      'messages',
      'delivered',
      'send → delivery p50 / p99 / p99.9 / max (ms)',
      'server CPU µs / msg',
      'client CPU µs / msg',
    ],
    runs.flatMap((run) => {
      const config = run.config as unknown as E2eeConfig;
      const result = run.result as E2eeResult;
      return (['plain', 'mls'] as const).map((kind) => [
        `${run.target}, ${kind === 'mls' ? 'MLS-encrypted' : 'plain'}`,
        config.pairs,
        config.rate,
        result[kind].messages,
        result[kind].delivered,
        latencies(result[kind].send_to_delivery_ms),
        result[kind].server_cpu_us_per_message,
        result[kind].client_cpu_us_per_message,
      ]);
    }),
  );
};

const runsSection = (records: RunRecord[]): string =>
  table(
    [
      'scenario',
      'target',
      'started (UTC)',
      'took (s)',
      'load average at start → end (1 min)',
      'commit (+ uncommitted files)',
    ],
    [...records]
      .sort((a, b) => a.started_at.localeCompare(b.started_at))
      .map((record) => [
        record.scenario,
        record.target,
        record.started_at.slice(0, 19).replace('T', ' '),
        record.duration_s,
        `${record.loadavg_start[0]} → ${record.loadavg_end[0]}`,
        record.code ? `${record.code.commit} (+${record.code.uncommitted_files})` : 'not recorded',
      ]),
  );

/** The results part of BENCHMARKS.md, from the result files. */
export const renderReport = (resultsDir: string): string => {
  const records = load(resultsDir);
  return [
    '### Fan-out (`pnpm bench fanout`)',
    trafficSection(records, 'fanout'),
    '![fan-out latency against load](bench/results/plots/fanout.png)',
    '### The persisted path (`pnpm bench persist`)',
    trafficSection(records, 'persist'),
    '![persisted path latency against load](bench/results/plots/persist.png)',
    '### History reads (`pnpm bench history`)',
    historySection(records),
    '![history latency against load](bench/results/plots/history.png)',
    '### Connection storm (`pnpm bench storm`)',
    stormSection(records),
    '![connection storm](bench/results/plots/storm.png)',
    '### Idle connections (`pnpm bench idle`)',
    idleSection(records),
    '![memory against idle connections](bench/results/plots/idle.png)',
    '### End-to-end encryption on the message path (`pnpm bench e2ee`)',
    e2eeSection(records),
    '### The runs behind these figures',
    runsSection(records),
  ].join('\n\n');
};

/** Rewrites the part of BENCHMARKS.md between its results markers. */
export const writeReport = (resultsDir: string, path = BENCHMARKS_MD): string => {
  const document = readFileSync(path, 'utf8');
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path} has no ${START} … ${END} section`);
  writeFileSync(
    path,
    `${document.slice(0, start + START.length)}\n\n${renderReport(resultsDir)}\n\n${document.slice(end)}`,
  );
  return path;
};
