import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of V8's `.cpuprofile` format read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  /** A package, a file of this repository, or a V8 category such as `(garbage collector)`. */
  where: string;
  /** Share of the busy time (idle excluded), in percent. */
  pct: number;
}

export interface ProfileSummary {
  file: string;
  /** Wall time the profile covers, and the part of it the main thread was not idle. */
  profiled_ms: number;
  busy_ms: number;
  /** Self time by package (npm packages, `node:` internals) or by file of this repository. */
  by_place: ProfileShare[];
  /** Self time by function. */
  by_function: ProfileShare[];
}

const REPO_FILE = /\/(?:packages|services|bench)\/.+$/;

/** Where a frame's code lives, as a reader of the summary would name it. */
const placeOf = (url: string, functionName: string): string => {
  if (!url) return functionName || '(native)';
  const npm = /node_modules\/\.pnpm\/([^/]+)\//.exec(url);
  if (npm) return `npm:${npm[1]!.replace(/@[^@]+$/, '')}`;
  if (url.startsWith('node:')) return 'node internals';
  return REPO_FILE.exec(url)?.[0].slice(1) ?? url;
};

const top = (shares: Map<string, number>, busy: number, count: number): ProfileShare[] =>
  [...shares]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, micros]) => ({ where, pct: Math.round((1000 * micros) / busy) / 10 }));

/** Self time of a `.cpuprofile`, by place and by function, idle time left out. */
export const summariseProfile = (file: string, count = 15): ProfileSummary => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    total += micros;
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)') {
      idle += micros;
      return;
    }
    const place = placeOf(frame.url, frame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
    const fn = `${frame.functionName || '(anonymous)'} — ${place}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  });
  const busy = Math.max(1, total - idle);
  return {
    file,
    profiled_ms: Math.round(total / 1000),
    busy_ms: Math.round(busy / 1000),
    by_place: top(byPlace, busy, count),
    by_function: top(byFunction, busy, count),
  };
};

/**
 * The main thread's profile among those the process wrote into `dir`: V8 names them
 * `CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile`, and the module loader's worker thread
 * (tsx) writes one too.
 */
export const profileIn = (dir: string): string | null => {
  const main = readdirSync(dir).find((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  return main ? join(dir, main) : null;
};
