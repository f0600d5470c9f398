import { join } from 'node:path';
import { SqliteReadModel } from '@chat/message-service';
import { HISTORIAN, type SeededHistory } from '../history/seed';
import { ErrorCounts } from '../measure/counters';
import { LatencyHistogram, type LatencySummary } from '../measure/histogram';
import { CpuMeter, cpuOf, ownCpuSeconds } from '../measure/proc';
import { progress } from '../print';
import { benchToken, type Target } from '../targets/target';

export interface HistoryConfig {
  messages: number;
  /** Offered load, requests per second, one step each. */
  rates: number[];
  stepSeconds: number;
  thresholdMs: number;
  /** Requests open at once; later ones wait for a slot (and the wait counts in their latency). */
  maxInFlight: number;
  /** How long the in-process read-model reference runs. */
  floorSeconds: number;
  budgetSeconds: number;
}

export interface HistoryStep {
  rate: number;
  seconds: number;
  requests: number;
  ok: number;
  completed_per_s: number;
  latency_ms: LatencySummary;
  server_cpu_pct: number;
  generator_cpu_pct: number;
  errors: Record<string, number>;
  within_threshold: boolean;
}

export interface HistoryResult {
  room_id: string;
  messages: number;
  seeded_in_s: number;
  seed_reused: boolean;
  page_size: number;
  /** The same pages read in-process from the read model, one after another: the floor. */
  read_model_in_process_ms: LatencySummary;
  steps: HistoryStep[];
  stopped_because: string;
  max_rate_within_threshold: number | null;
}

const PAGE = 50;

/** A small deterministic generator, so every run asks for the same pages. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

type Page = { afterSeq?: number; beforeSeq?: number };

/** A third each: the newest page, a page before a random seq, a page after a random seq. */
const pages = (messages: number) => {
  const next = random(42);
  let n = 0;
  return (): Page => {
    const kind = n++ % 3;
    if (kind === 0) return {};
    if (kind === 1) return { beforeSeq: PAGE + 1 + Math.floor(next() * (messages - PAGE)) };
    return { afterSeq: Math.floor(next() * (messages - PAGE)) };
  };
};

const query = (page: Page) =>
  `limit=${PAGE}` +
  (page.beforeSeq === undefined ? '' : `&before_seq=${page.beforeSeq}`) +
  (page.afterSeq === undefined ? '' : `&after_seq=${page.afterSeq}`);

const readModelFloor = async (dataDir: string, roomId: string, config: HistoryConfig) => {
  const readModel = SqliteReadModel.open(join(dataDir, 'message', 'read-model.db'));
  const histogram = new LatencyHistogram();
  const next = pages(config.messages);
  const until = performance.now() + config.floorSeconds * 1000;
  try {
    while (performance.now() < until) {
      const page = next();
      const start = performance.now();
      await readModel.listMessages(roomId, { limit: PAGE, ...page });
      histogram.recordMs(performance.now() - start);
    }
  } finally {
    await readModel.close();
  }
  return histogram.summary();
};

const runStep = async (
  target: Target,
  url: string,
  token: string,
  rate: number,
  config: HistoryConfig,
): Promise<HistoryStep> => {
  const histogram = new LatencyHistogram();
  const errors = new ErrorCounts();
  const next = pages(config.messages);
  const total = Math.round(rate * config.stepSeconds);
  const interval = 1000 / rate;
  let inFlight = 0;
  let ok = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    while (inFlight >= config.maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
  };
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };
  const request = async (intended: number, page: Page) => {
    await slot();
    try {
      const response = await fetch(`${url}?${query(page)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { messages?: unknown[] };
      if (response.status !== 200) errors.add(`http_${response.status}`);
      else if (body.messages?.length !== PAGE) errors.add('short_page');
      else ok++;
    } catch (error) {
      errors.add((error as { cause?: { code?: string } }).cause?.code ?? 'fetch_failed');
    } finally {
      release();
      histogram.recordMs(performance.now() - intended);
    }
  };

  const serverCpu = new CpuMeter(cpuOf(target.serverPids()));
  const generatorCpu = new CpuMeter(ownCpuSeconds);
  const started = performance.now() + 20;
  const requests: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    let n = 0;
    const tick = () => {
      const now = performance.now();
      while (n < total && started + n * interval <= now)
        requests.push(request(started + n++ * interval, next()));
      if (n >= total) return resolve();
      setTimeout(tick, Math.max(0, started + n * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
  await Promise.all(requests);
  const seconds = (performance.now() - started) / 1000;
  const latency = histogram.summary();
  return {
    rate,
    seconds: config.stepSeconds,
    requests: total,
    ok,
    completed_per_s: Math.round(total / seconds),
    latency_ms: latency,
    server_cpu_pct: serverCpu.percent(),
    generator_cpu_pct: generatorCpu.percent(),
    errors: errors.toJSON(),
    within_threshold: latency.p99 <= config.thresholdMs && ok === total,
  };
};

/** Pages of 50 from the seeded room over REST at stepped constant rates, plus the in-process floor. */
export const runHistory = async (
  target: Target,
  seeded: SeededHistory,
  config: HistoryConfig,
): Promise<HistoryResult> => {
  const began = performance.now();
  const floor = await readModelFloor(seeded.data_dir, seeded.room_id, config);
  progress(`read model in-process: p50 ${floor.p50} ms, p99 ${floor.p99} ms`);
  const url = `${target.apiUrl}/api/rooms/${encodeURIComponent(seeded.room_id)}/messages`;
  const token = await benchToken(HISTORIAN);
  const steps: HistoryStep[] = [];
  let stopped_because = 'all_steps';
  for (const rate of config.rates) {
    if ((performance.now() - began) / 1000 + config.stepSeconds + 5 > config.budgetSeconds) {
      stopped_because = 'budget';
      break;
    }
    const step = await runStep(target, url, token, rate, config);
    steps.push(step);
    progress(
      `${target.name}: ${rate} req/s → p50 ${step.latency_ms.p50} ms, p99 ${step.latency_ms.p99} ms, ` +
        `server CPU ${step.server_cpu_pct}%`,
    );
    if (!step.within_threshold) {
      stopped_because = step.latency_ms.p99 > config.thresholdMs ? 'threshold' : 'errors';
      break;
    }
  }
  const best = [...steps].reverse().find((step) => step.within_threshold) ?? null;
  return {
    room_id: seeded.room_id,
    messages: seeded.messages,
    seeded_in_s: seeded.seeded_in_s,
    seed_reused: seeded.reused,
    page_size: PAGE,
    read_model_in_process_ms: floor,
    steps,
    stopped_because,
    max_rate_within_threshold: best?.rate ?? null,
  };
};
