import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PAGE_BUILD, startEdge } from './edge';
import { freePort, ProcessFailed, spawnEntry, stopGroup, waitUntilAnswering } from './processes';
import { devSecretsFor } from './secrets';
import { writeFleetState, type FleetState, type RecordedProcess } from './state';
import { FLEET_SERVICES, GATEWAY } from './topology';

export interface FleetOptions {
  /** Every process's DATA_DIR; the run folder (logs, state, the edge's files) is `<dataDir>/run`. */
  dataDir: string;
  /**
   * Names what the fleet keeps on the shared servers (topic and key prefixes, MongoDB databases,
   * index and object prefixes): the same namespace finds the same history after a restart.
   */
  namespace: string;
  /** The edge's port on 127.0.0.1; 0 for a free one. */
  edgePort: number;
  gateways: number;
  /** The servers' settings (KAFKA_BROKERS, MONGODB_URL, …) and any other settings for every process. */
  env: Record<string, string>;
  /** The servers of infra/local this start brought up, for `fleet:down` to stop. */
  startedServers?: string[];
  /** How long a process may take to answer /readyz. */
  readyTimeoutMs?: number;
  /** Progress and warnings, a line at a time. */
  log?: (line: string) => void;
}

export interface LaunchedFleet {
  /** The one address: `http://127.0.0.1:<edge port>`. */
  readonly address: string;
  /** `/ws` through the edge. */
  readonly wsUrl: string;
  /** Each gateway's own `/ws`, in order, bypassing the edge. */
  readonly gatewayWsUrls: string[];
  /** The environment every process runs with (each adds its PORT, and MONGODB_URL or INSTANCE_ID). */
  readonly env: Readonly<Record<string, string>>;
  readonly runDir: string;
  /** The processes behind the edge, as started (a restarted one has a new pid). */
  processes(): readonly RecordedProcess[];
  /** A service's MongoDB URL: each has its own database. */
  mongodbUrlOf(service: string): string | undefined;
  /** Signals a process (`message`, `connection-gateway-2`) and waits for it to end. */
  stopProcess(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped process again, on its port, and waits until it is ready. */
  startProcess(name: string): Promise<void>;
  /** Stops the edge and every process; data stays. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

export const runDirOf = (dataDir: string) => join(dataDir, 'run');

const withDatabase = (mongodbUrl: string, database: string) => {
  const url = new URL(mongodbUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

/** The MongoDB database of a service of the fleet: each has its own. */
export const mongoDatabaseOf = (namespace: string, service: string) => `chat_${namespace}_${service}`;

/** What keeps one fleet's records apart from another's on shared servers (with its databases). */
export const namespaceEnv = (namespace: string) => {
  if (!/^[a-z0-9_]+$/.test(namespace)) {
    throw new Error(`namespace "${namespace}": lowercase letters, digits and _ only`);
  }
  return {
    KAFKA_TOPIC_PREFIX: `${namespace}.`,
    REDIS_KEY_PREFIX: `${namespace}:`,
    ELASTICSEARCH_INDEX_PREFIX: `${namespace}-`,
    S3_KEY_PREFIX: `${namespace}/`,
  };
};

interface Planned extends RecordedProcess {
  env: Record<string, string>;
}

/** Every process of the fleet with its port, log and environment; none started yet. */
const plan = async (options: FleetOptions, common: Record<string, string>, logsDir: string) => {
  const { MONGODB_URL: mongodbUrl } = options.env;
  const mongodbUrlOf = (service: string) =>
    mongodbUrl ? withDatabase(mongodbUrl, mongoDatabaseOf(options.namespace, service)) : undefined;
  const processOf = async (
    name: string,
    group: string,
    entry: string,
    extra: Record<string, string>,
  ): Promise<Planned> => {
    const port = await freePort();
    return {
      name,
      group,
      entry,
      port,
      pid: 0,
      logFile: join(logsDir, `${name}.log`),
      // The service's name in its traces (the gateways share one).
      env: { ...common, ...extra, PORT: String(port), OTEL_SERVICE_NAME: group },
    };
  };
  const services = await Promise.all(
    FLEET_SERVICES.map(({ name, entry }) => {
      const database = mongodbUrlOf(name);
      return processOf(name, name, entry, database ? { MONGODB_URL: database } : {});
    }),
  );
  const gateways = await Promise.all(
    Array.from({ length: options.gateways }, (_, index) =>
      processOf(`${GATEWAY.name}-${index + 1}`, GATEWAY.name, GATEWAY.entry, {
        INSTANCE_ID: `${options.namespace}-gateway-${index + 1}`,
      }),
    ),
  );
  return { services, gateways, mongodbUrlOf };
};

/** Where the edge finds each compose host: the loopback ports of its processes. */
const upstreamsOf = (processes: readonly RecordedProcess[]): Record<string, string[]> =>
  Object.fromEntries(
    [...FLEET_SERVICES.map(({ name }) => name), GATEWAY.name].map((group) => [
      group,
      processes.filter((candidate) => candidate.group === group).map(({ port }) => `127.0.0.1:${port}`),
    ]),
  );

/** What fleet.json keeps of a process (not its environment, which holds secrets). */
const recordOf = ({ name, group, entry, port, pid, logFile }: RecordedProcess): RecordedProcess => ({
  name,
  group,
  entry,
  port,
  pid,
  logFile,
});

/**
 * Starts the fleet on this machine: every service and `gateways` connection gateways as processes
 * of their own, configured from the environment as a deployment configures them, then the edge
 * (infra/edge/nginx.conf rendered for loopback) in front of them. Resolves once every process
 * answers /readyz and the edge answers; a process that dies first fails the start with the tail
 * of its log, and whatever was started is stopped again. Logs go to `<run>/logs/<process>.log`;
 * `<run>/fleet.json` records what runs, for `pnpm fleet:status` and `pnpm fleet:down`.
 */
export const launchFleet = async (options: FleetOptions): Promise<LaunchedFleet> => {
  const log = options.log ?? (() => {});
  const runDir = runDirOf(options.dataDir);
  const logsDir = join(runDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const secrets = devSecretsFor({ ...process.env, ...options.env });
  for (const warning of secrets.warnings) log(warning);
  const { MONGODB_URL: _perService, ...given } = options.env;
  const common: Record<string, string> = {
    ...namespaceEnv(options.namespace),
    DATA_DIR: options.dataDir,
    HOST: '127.0.0.1',
    // One key store for every process that seals or opens content, the gateways included.
    ...(options.env.MONGODB_URL
      ? { KEY_STORE_URL: withDatabase(options.env.MONGODB_URL, mongoDatabaseOf(options.namespace, 'keys')) }
      : {}),
    ...secrets.env,
    ...given,
  };
  const { services, gateways, mongodbUrlOf } = await plan(options, common, logsDir);
  const all = [...services, ...gateways];
  // A free port is taken just before nginx binds it: taken now, it could be given meanwhile to an
  // outgoing connection of a service starting up (it is from the same ephemeral range).
  let edgePort = options.edgePort;
  const addressNow = () => `http://127.0.0.1:${edgePort}`;
  const edge: RecordedProcess = {
    name: 'edge',
    group: 'edge',
    entry: 'nginx',
    port: edgePort,
    pid: 0,
    logFile: join(logsDir, 'edge.log'),
  };
  const state = (): FleetState => ({
    address: addressNow(),
    namespace: options.namespace,
    dataDir: options.dataDir,
    processes: [...all, edge].filter(({ pid }) => pid > 0).map(recordOf),
    servers: options.startedServers ?? [],
  });
  const record = () => writeFleetState(runDir, state());
  record();

  const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const start = async (planned: Planned) => {
    planned.pid = spawnEntry(planned.entry, {
      env: { ...process.env, ...planned.env },
      logFile: planned.logFile,
    });
    record();
    await waitUntilAnswering(`http://127.0.0.1:${planned.port}/readyz`, planned, readyTimeoutMs);
    log(`${planned.name.padEnd(22)} ready on 127.0.0.1:${planned.port}`);
  };
  const stopOne = async (recorded: RecordedProcess, signal?: NodeJS.Signals) => {
    if (recorded.pid > 0) await stopGroup(recorded.pid, signal);
  };
  const stopAll = async () => {
    await stopOne(edge);
    await Promise.all(all.map((planned) => stopOne(planned)));
  };
  const startEdgeProcess = async () => {
    if (!options.edgePort) edge.port = edgePort = await freePort();
    edge.pid = startEdge({
      dir: join(runDir, 'edge'),
      tempDir: join(runDir, 'edge', 'temp'),
      pageRoot: PAGE_BUILD,
      logFile: edge.logFile,
      listen: `127.0.0.1:${edgePort}`,
      upstreams: upstreamsOf(all),
    });
    record();
    await waitUntilAnswering(`${addressNow()}/edge/healthz`, edge, readyTimeoutMs);
  };

  try {
    // The gateways wait for the services they need, as compose's depends_on makes them.
    await Promise.all(services.map(start));
    await Promise.all(gateways.map(start));
    await startEdgeProcess();
  } catch (error) {
    await stopAll();
    throw error instanceof ProcessFailed ? error : new Error(`the fleet did not start: ${String(error)}`);
  }

  const named = (name: string) => {
    const found = all.find((planned) => planned.name === name);
    if (!found) throw new Error(`no process "${name}" in the fleet`);
    return found;
  };
  return {
    address: addressNow(),
    wsUrl: `ws://127.0.0.1:${edgePort}/ws`,
    gatewayWsUrls: gateways.map(({ port }) => `ws://127.0.0.1:${port}/ws`),
    env: common,
    runDir,
    processes: () => state().processes,
    mongodbUrlOf,
    stopProcess: (name, signal) => stopOne(named(name), signal),
    startProcess: (name) => start(named(name)),
    stop: stopAll,
  };
};
