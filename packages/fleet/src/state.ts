import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLineOf, isAlive, stopGroup, tailOf } from './processes';

export interface RecordedProcess {
  /** `message`, `connection-gateway-1`, `edge`. */
  name: string;
  /** The compose host it stands for (`connection-gateway` for every gateway). */
  group: string;
  /** Its entry point (`services/message/src/main.ts`), or `nginx`. */
  entry: string;
  port: number;
  /** Also the id of its process group: each runs in its own session. */
  pid: number;
  logFile: string;
}

/** What a running fleet is made of: `<run>/fleet.json`. */
export interface FleetState {
  address: string;
  namespace: string;
  dataDir: string;
  processes: RecordedProcess[];
  /** The servers of infra/local that the fleet's start brought up (and only those). */
  servers: string[];
}

const stateFile = (runDir: string) => join(runDir, 'fleet.json');

export const writeFleetState = (runDir: string, state: FleetState) => {
  const file = stateFile(runDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
};

export const readFleetState = (runDir: string): FleetState | null =>
  existsSync(stateFile(runDir)) ? (JSON.parse(readFileSync(stateFile(runDir), 'utf8')) as FleetState) : null;

export const forgetFleetState = (runDir: string) => rmSync(stateFile(runDir), { force: true });

/** Alive, and still the process recorded: a pid reused by another program is not ours. */
export const isRecordedAlive = (recorded: RecordedProcess): boolean =>
  isAlive(recorded.pid) && (commandLineOf(recorded.pid)?.includes(recorded.entry) ?? false);

export type Health =
  { state: 'ready' } | { state: 'not ready'; detail: string } | { state: 'dead'; detail: string };

/** `/readyz` for a service or gateway, `/edge/healthz` for the edge. */
const healthUrlOf = (recorded: RecordedProcess) =>
  `http://127.0.0.1:${recorded.port}${recorded.name === 'edge' ? '/edge/healthz' : '/readyz'}`;

export const healthOf = async (recorded: RecordedProcess): Promise<Health> => {
  if (!isRecordedAlive(recorded)) return { state: 'dead', detail: tailOf(recorded.logFile) };
  try {
    const response = await fetch(healthUrlOf(recorded), { signal: AbortSignal.timeout(3_000) });
    if (response.ok) return { state: 'ready' };
    return { state: 'not ready', detail: `${response.status} ${await response.text()}` };
  } catch (error) {
    return { state: 'not ready', detail: `no answer (${(error as Error).message})` };
  }
};

/** Stops every recorded process that still runs, the edge first. */
export const stopRecordedProcesses = async (state: FleetState) => {
  const [edge, rest] = [
    state.processes.filter(({ name }) => name === 'edge'),
    state.processes.filter(({ name }) => name !== 'edge'),
  ];
  for (const group of [edge, rest]) {
    await Promise.all(group.filter(isRecordedAlive).map(({ pid }) => stopGroup(pid)));
  }
};
