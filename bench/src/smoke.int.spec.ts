import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LatencySummary } from './measure/histogram';
import type { IdleResult } from './scenarios/idle';
import type { TrafficResult } from './scenarios/traffic';
import { REPO_ROOT } from './targets/processes';

/**
 * The harness itself, seconds long: a fan-out run with tiny numbers (20 connections, one 2 s
 * step) against the embedded platform and against the raw uWebSockets.js baseline, and an idle
 * run of 40 connections against the baseline, each as its own process, the way `pnpm bench` runs
 * them. Only the output's shape and consistency are checked; timings are
 * results, never assertions.
 */
const resultsDir = mkdtempSync(join(tmpdir(), 'chat-bench-smoke-'));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

const runBench = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/src/main.ts', ...args],
      { cwd: REPO_ROOT, timeout: 55_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const sane = (summary: LatencySummary) => {
  expect(summary.count).toBeGreaterThan(0);
  expect(summary.p50).toBeGreaterThan(0);
  expect(summary.p50).toBeLessThanOrEqual(summary.p99);
  expect(summary.p99).toBeLessThanOrEqual(summary.p99_9);
  expect(summary.p99_9).toBeLessThanOrEqual(summary.max);
};

// Each run is its own process: side by side, the file stays well under 30 s.
describe.concurrent('the benchmark harness (smoke)', () => {
  it.each(['embedded', 'uws'])('runs a fan-out step against %s and reports it', async (target) => {
    // Each target's results in a directory of its own: the runs go side by side.
    const dir = join(resultsDir, target);
    const { code, stdout, stderr } = await runBench([
      'fanout',
      '--smoke',
      '--target',
      target,
      '--results-dir',
      dir,
    ]);
    expect(code, stderr).toBe(0);
    const { results } = JSON.parse(stdout) as {
      results: {
        target: string;
        file: string;
        record: { loadavg_start: number[]; loadavg_end: number[]; result: TrafficResult };
      }[];
    };
    expect(results.map((result) => result.target)).toEqual([target]);
    const { file, record } = results[0]!;
    expect(file).toBe(join(dir, `fanout-${target}.json`));
    expect(JSON.parse(readFileSync(file, 'utf8')).result).toEqual(record.result);
    expect(record.loadavg_start).toHaveLength(3);
    expect(record.loadavg_end).toHaveLength(3);
    const { connected, steps } = record.result;
    expect(connected).toBe(20);
    expect(steps).toHaveLength(1);
    const step = steps[0]!;
    expect(step.sent).toBe(40);
    expect(step.acked).toBe(step.sent);
    expect(step.delivered).toBe(step.expected_deliveries);
    expect(step.expected_deliveries).toBe(step.sent * 5);
    expect(step.errors).toEqual({});
    sane(step.ack_ms);
    sane(step.delivery_ms);
    expect(step.delivered_per_s.mean).toBeGreaterThan(0);
  });

  it('measures the gateway memory of idle connections (raw uWS baseline)', async () => {
    const { code, stdout, stderr } = await runBench([
      'idle',
      '--smoke',
      '--target',
      'uws',
      '--results-dir',
      join(resultsDir, 'idle'),
    ]);
    expect(code, stderr).toBe(0);
    const { results } = JSON.parse(stdout) as { results: { record: { result: IdleResult } }[] };
    expect(results).toHaveLength(1);
    const { connections, still_open_after_hold, before, after_hold, samples } = results[0]!.record.result;
    expect(connections).toBe(40);
    expect(still_open_after_hold).toBe(40);
    expect(before.rss_kib).toBeGreaterThan(0);
    expect(after_hold.rss_kib).toBeGreaterThan(0);
    expect(samples.map((sample) => sample.connections)).toEqual([0, 20, 40]);
  });
});
