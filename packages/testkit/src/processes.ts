import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait; `kill9` for a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Where, when CHAT_PROCESS_LOG_DIR is set, every process started here writes all it prints, in a
 * file named after its entry point and pid: what a failed fleet run leaves to read.
 */
const logFileOf = (entry: string, pid: number | undefined): string | null => {
  const dir = process.env.CHAT_PROCESS_LOG_DIR;
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  return join(dir, `${entry.replaceAll('/', '_')}-${pid}.log`);
};

/**
 * Starts a TypeScript entry point of this repo as its own process (as `pnpm start` does: with the
 * telemetry preload, which traces only when an OTLP endpoint is set).
 */
export const startProcess = (entry: string, env: NodeJS.ProcessEnv): RunningProcess => {
  const preload = './packages/runtime/src/telemetry-preload.ts';
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', preload, entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const logFile = logFileOf(entry, child.pid);
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
};

/** Runs a TypeScript entry point of this repo (a command) to its end: its exit code and output. */
export const runToEnd = async (
  entry: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> => {
  const command = startProcess(entry, env);
  const code = await new Promise<number | null>((resolve) => command.child.once('exit', resolve));
  return { code, output: command.output() };
};

/** Polls a URL until it answers 200, or fails with the process output. */
export const waitForReady = async (
  url: string,
  process: RunningProcess,
  timeoutMs = 30_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) throw new Error(`process exited early:\n${process.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${process.output()}`);
};

/** A free TCP port on loopback. */
export const freePort = async (): Promise<number> => {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
};
