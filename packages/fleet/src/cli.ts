import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchFleet, runDirOf } from './launch';
import { REPO_ROOT } from './processes';
import {
  forgetFleetState,
  healthOf,
  isRecordedAlive,
  readFleetState,
  stopRecordedProcesses,
  writeFleetState,
  type FleetState,
} from './state';

/**
 * `pnpm fleet` (up), `pnpm fleet:down`, `pnpm fleet:status`: the whole fleet on this machine, on
 * the real servers of infra/local, behind one address. Settings: DATA_DIR (./data/fleet), PORT
 * (the edge, 8000), FLEET_NAMESPACE (fleet), and whatever the services read.
 */
const say = (line: string) => process.stdout.write(`${line}\n`);
const env = process.env;
const dataDir = resolve(env.DATA_DIR ?? 'data/fleet');
const runDir = runDirOf(dataDir);
const infraRun = env.CHAT_INFRA_RUN ?? '/tmp/chat-infra';
const infraScript = (name: string) => join(REPO_ROOT, 'infra/local', name);

/** Brings the servers up (healthy ones are left alone); the names of those this run started. */
const upServers = (): string[] => {
  const run = spawnSync('bash', [infraScript('up.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(run.stdout);
  if (run.status !== 0) throw new Error('infra/local/up.sh failed (see above)');
  return run.stdout.split('\n').flatMap((line) => /^(\S+)\s.*\(started\)$/.exec(line)?.slice(1, 2) ?? []);
};

/** The servers' settings as infra/local wrote them; a setting in the environment wins. */
const serverEnv = (): Record<string, string> => {
  const lines = readFileSync(join(infraRun, 'env'), 'utf8').split('\n');
  const entries = lines.flatMap((line) => {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    return match ? [[match[1]!, env[match[1]!] ?? match[2]!] as const] : [];
  });
  return Object.fromEntries(entries);
};

/** One line per process with its health, the tail of the log of a dead one; true if all are ready. */
const report = async (state: FleetState): Promise<boolean> => {
  let healthy = true;
  for (const recorded of state.processes) {
    const health = await healthOf(recorded);
    healthy &&= health.state === 'ready';
    const where = `pid ${String(recorded.pid).padEnd(8)} 127.0.0.1:${recorded.port}`;
    say(`${recorded.name.padEnd(22)} ${health.state.padEnd(10)} ${where}  ${recorded.logFile}`);
    if (health.state === 'not ready') say(`    ${health.detail}`);
    if (health.state === 'dead') say(health.detail.replace(/^/gm, '    | '));
  }
  return healthy;
};

const up = async () => {
  const previous = readFleetState(runDir);
  if (previous?.processes.some(isRecordedAlive)) {
    say(`The fleet already runs at ${previous.address}:`);
    const healthy = await report(previous);
    if (!healthy) say('Not every process is ready: pnpm fleet:down, then pnpm fleet.');
    return healthy ? 0 : 1;
  }
  const started = upServers();
  const startedServers = [...new Set([...(previous?.servers ?? []), ...started])];
  // The processes live in sessions of their own: an interrupted start stops those it recorded.
  process.once('SIGINT', () => {
    say('\nInterrupted: stopping what was started.');
    const state = readFleetState(runDir);
    if (!state) process.exit(130);
    void stopRecordedProcesses(state).then(() => {
      // The servers stay recorded, for fleet:down.
      writeFleetState(runDir, { ...state, processes: [] });
      process.exit(130);
    });
  });
  try {
    const fleet = await launchFleet({
      dataDir,
      namespace: env.FLEET_NAMESPACE ?? 'fleet',
      edgePort: Number(env.PORT ?? 8000),
      gateways: 2,
      env: serverEnv(),
      startedServers,
      log: say,
    });
    say('');
    say(`The fleet is ready at ${fleet.address}  (WebSocket ${fleet.wsUrl}, REST under /api)`);
    say(`logs: ${join(fleet.runDir, 'logs')}   status: pnpm fleet:status   stop: pnpm fleet:down`);
    return 0;
  } catch (error) {
    say(`\n${(error as Error).message}`);
    if (startedServers.length > 0)
      say(
        `Servers started for the fleet stay up (${startedServers.join(', ')}): pnpm fleet:down stops them.`,
      );
    return 1;
  }
};

const down = async () => {
  const state = readFleetState(runDir);
  if (!state) {
    say(`No fleet recorded under ${runDir}: nothing to stop.`);
    return 0;
  }
  await stopRecordedProcesses(state);
  say(
    `Stopped the fleet at ${state.address} (${state.processes.map(({ name }) => name).join(', ')}); data stays under ${state.dataDir}.`,
  );
  if (state.servers.length > 0) {
    execFileSync('bash', [infraScript('down.sh'), ...state.servers], { stdio: 'inherit' });
  }
  forgetFleetState(runDir);
  return 0;
};

const status = async () => {
  const state = readFleetState(runDir);
  const running = state !== null && state.processes.length > 0;
  const healthy = running && (await report(state));
  if (running) say(`address: ${state.address}`);
  else say(`No fleet recorded under ${runDir} (pnpm fleet starts it).`);
  say('servers:');
  const servers = spawnSync('bash', [infraScript('status.sh')], { stdio: 'inherit' });
  return healthy && servers.status === 0 ? 0 : 1;
};

const commands: Record<string, () => Promise<number>> = { up, down, status };
const command = commands[process.argv[2] ?? 'up'];
if (!command) {
  say('usage: fleet [up|down|status]');
  process.exit(2);
}
process.exit(await command());
