import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { ProfileSummary } from './measure/profile';
import { loadAverage, machine } from './measure/proc';

export const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('../results', import.meta.url));

/** One scenario against one target, as written to bench/results/<scenario>-<target>.json. */
export interface RunRecord {
  scenario: string;
  target: string;
  /** True for the seconds-long harness check: its figures mean nothing. */
  smoke: boolean;
  started_at: string;
  finished_at: string;
  duration_s: number;
  /** /proc/loadavg (1, 5, 15 min) when the run started and ended: how busy the machine was. */
  loadavg_start: [number, number, number];
  loadavg_end: [number, number, number];
  machine: ReturnType<typeof machine>;
  /** The code measured: the commit, and how many files differed from it in the working tree. */
  code?: { commit: string; uncommitted_files: number };
  /** The environment the server side was started with beyond its defaults (the raised limits). */
  target_settings: Record<string, string>;
  target_notes: string[];
  config: Record<string, unknown>;
  result: unknown;
  /** With `--profile`: where the embedded platform's CPU time went during the run. */
  profile?: ProfileSummary;
}

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
    });
  } catch {
    return '';
  }
};

const codeMeasured = () => ({
  commit: git('rev-parse', '--short', 'HEAD').trim() || 'unknown',
  uncommitted_files: git('status', '--porcelain').split('\n').filter(Boolean).length,
});

/** Times a run and wraps what it found with what it ran on. */
export const recordRun = async (
  meta: { scenario: string; target: string; smoke: boolean; config: Record<string, unknown> },
  run: () => Promise<{
    result: unknown;
    settings: Record<string, string>;
    notes: string[];
    profile?: ProfileSummary;
  }>,
): Promise<RunRecord> => {
  const started = new Date();
  const loadavg_start = loadAverage();
  const code = codeMeasured();
  const { result, settings, notes, profile } = await run();
  const finished = new Date();
  return {
    ...meta,
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    duration_s: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
    loadavg_start,
    loadavg_end: loadAverage(),
    machine: machine(),
    code,
    target_settings: settings,
    target_notes: notes,
    config: meta.config,
    result,
    ...(profile ? { profile } : {}),
  };
};

/** Formatted as the repository's Prettier would, so committed results pass `prettier --check`. */
export const formatJson = async (value: unknown, path: string): Promise<string> => {
  const options = (await resolveConfig(path)) ?? {};
  return format(JSON.stringify(value), { ...options, parser: 'json', filepath: path });
};

/** Writes a run to `<dir>/<scenario>-<target>.json` and returns the path. */
export const writeRecord = async (record: RunRecord, dir: string): Promise<string> => {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${record.scenario}-${record.target}.json`);
  writeFileSync(path, await formatJson(record, path));
  return path;
};
