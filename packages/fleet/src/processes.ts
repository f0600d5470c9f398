import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts a command in its own session (it outlives the command that started the fleet, and its
 * group can be signalled as one), everything it prints appended to `logFile`. Returns its pid,
 * which is also its process group's id.
 */
export const spawnDetached = (
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; logFile: string },
): number => {
  const log = openSync(options.logFile, 'a');
  writeSync(log, `\n===== ${new Date().toISOString()} starting: ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: options.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return child.pid;
};

/** Starts tracing before an entry's modules load (see the preload), when an OTLP endpoint is set. */
export const TELEMETRY_PRELOAD = './packages/runtime/src/telemetry-preload.ts';

/** Starts a TypeScript entry point of this repo (`services/message/src/main.ts`) as its own process. */
export const spawnEntry = (entry: string, options: { env: NodeJS.ProcessEnv; logFile: string }): number =>
  spawnDetached(process.execPath, ['--import', 'tsx', '--import', TELEMETRY_PRELOAD, entry], options);

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The command line of a live process, to tell ours from a stranger that reused its pid. */
export const commandLineOf = (pid: number): string | null => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return null;
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signals a process group and waits for its leader to exit; after `timeoutMs` (longer than a
 * service's own shutdown deadline) it is killed.
 */
export const stopGroup = async (pid: number, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000) => {
  const signalGroup = (sent: NodeJS.Signals) => {
    try {
      process.kill(-pid, sent);
    } catch {
      // already gone
    }
  };
  signalGroup(signal);
  const deadline = Date.now() + timeoutMs;
  let killed = false;
  while (isAlive(pid)) {
    if (!killed && Date.now() > deadline) {
      signalGroup('SIGKILL');
      killed = true;
    }
    await sleep(50);
  }
};

/** The last lines of a log: what a process said before it died. */
export const tailOf = (logFile: string, lines = 30): string => {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

export class ProcessFailed extends Error {
  constructor(
    readonly processName: string,
    readonly logFile: string,
    reason: string,
  ) {
    super(`${processName} ${reason}; last lines of ${logFile}:\n${tailOf(logFile)}`);
  }
}

/**
 * Polls `url` until it answers 200. Fails, with the tail of the process's log, when the process
 * dies first or the time runs out.
 */
export const waitUntilAnswering = async (
  url: string,
  target: { name: string; pid: number; logFile: string },
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(target.pid)) throw new ProcessFailed(target.name, target.logFile, 'exited while starting');
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new ProcessFailed(target.name, target.logFile, `did not answer ${url} within ${timeoutMs} ms`);
};

/** A free TCP port on loopback. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
