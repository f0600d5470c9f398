import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sayHello } from '@chat/client/readme-example';
import { freePort, REPO_ROOT } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { removeFleetNamespace } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { expectReadmeExamplesToRun } from './readme-examples';

const namespace = `readme_${crypto.randomUUID().slice(0, 8)}`;
const dataDir = mkdtempSync(join(tmpdir(), 'chat-pnpm-fleet-'));

/** What a user types, as a user's shell runs it: no JWT_SECRET_KEY, so the dev secret, as in `pnpm start`. */
const pnpm = async (script: string) => {
  const { JWT_SECRET_KEY: _secret, JWKS_URL: _jwks, ...env } = process.env;
  const run = promisify(execFile)('pnpm', ['-s', ...script.split(' ')], {
    cwd: REPO_ROOT,
    env: { ...env, DATA_DIR: dataDir, PORT: String(port), FLEET_NAMESPACE: namespace },
    encoding: 'utf8',
    timeout: 110_000,
  });
  return run.then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
};

/** `pnpm token <user>` as the README has it: the dev secret, which the fleet took too. */
const tokenFor = async (userId: string) => (await pnpm(`token ${userId}`)).stdout.trim();

const recordedPids = () =>
  (
    JSON.parse(readFileSync(join(dataDir, 'run', 'fleet.json'), 'utf8')) as {
      processes: { name: string; pid: number }[];
    }
  ).processes;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let port: number;

fleetScenario('pnpm fleet, as the README tells a user to run it', (servers) => {
  beforeAll(async () => {
    port = await freePort();
    const up = await pnpm('fleet');
    expect(up.stdout).toContain(`The fleet is ready at http://127.0.0.1:${port}`);
    expect(up.code).toBe(0);
  });
  afterAll(async () => {
    await pnpm('fleet:down');
    await removeFleetNamespace(servers, namespace);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows every process ready: five services, two gateways and the edge', async () => {
    const status = await pnpm('fleet:status');
    expect(status.code).toBe(0);
    const ready = status.stdout
      .split('\n')
      .filter((line) => / ready /.test(line))
      .map((line) => line.split(' ')[0]);
    expect(ready.sort()).toEqual([
      'connection-gateway-1',
      'connection-gateway-2',
      'edge',
      'media',
      'message',
      'notification',
      'presence',
      'search',
    ]);
  });

  it("runs the README's Quick Start and curl examples unchanged on its one address", async () => {
    await expectReadmeExamplesToRun(port);
  });

  it("runs the SDK's README example", async () => {
    const token = (
      await promisify(execFile)('pnpm', ['-s', 'token', 'sdk-reader'], { cwd: REPO_ROOT })
    ).stdout.trim();
    const lines: string[] = [];
    await sayHello(
      `ws://localhost:${port}/ws`,
      () => Promise.resolve(token),
      (line) => lines.push(line),
    );
    expect(lines).toContain('connection open');
    expect(lines.some((line) => /^stored as #\d+$/.test(line))).toBe(true);
  });

  it('reports a dead process with its log; fleet:down stops only the fleet, and a new start keeps the history', async () => {
    const token = await tokenFor('alice');
    const history = async () => {
      const url = `http://127.0.0.1:${port}/api/rooms/general/messages?limit=100`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      return (await response.json()) as { messages: unknown[] };
    };
    const before = await history();
    expect(before.messages.length).toBeGreaterThan(0);

    const gateway = recordedPids().find(({ name }) => name === 'connection-gateway-2')!;
    process.kill(gateway.pid, 'SIGKILL');
    const status = await pnpm('fleet:status');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^connection-gateway-2\s+dead /m);
    expect(status.stdout).toMatch(/^ {4}\| /m);

    const pids = recordedPids().map(({ pid }) => pid);
    expect((await pnpm('fleet:down')).code).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    const servers = await promisify(execFile)('bash', [join(REPO_ROOT, 'infra/local/status.sh')]).then(
      () => 'healthy',
      () => 'not all healthy',
    );
    expect(servers).toBe('healthy');

    expect((await pnpm('fleet')).code).toBe(0);
    expect(await history()).toEqual(before);
  });
});
