import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fleet } from '@chat/e2e/fleet';
import { progress } from '../print';
import { freePort, REPO_ROOT, spawnTypeScript, waitForHttp, type ServerProcess } from '../targets/processes';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A connection gateway the run starts itself, beside the fleet's, with the fleet's environment:
 * the fleet's public API can kill its own gateways but not start them again, and a gateway's
 * fault is a kill -9 *and* a restart. Clients are spread over both.
 */
export class SpareGateway {
  private server: ServerProcess | null = null;

  private constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  static async start(fleet: Fleet): Promise<SpareGateway> {
    const gateway = new SpareGateway(
      { ...fleet.env, INSTANCE_ID: `${fleet.env.KAFKA_TOPIC_PREFIX}gateway-spare` },
      await freePort(),
    );
    await gateway.boot();
    return gateway;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  async boot(): Promise<void> {
    this.server = spawnTypeScript('gateway-spare', 'services/connection-gateway/src/main.ts', {
      ...this.env,
      PORT: String(this.port),
    });
    await waitForHttp(`http://127.0.0.1:${this.port}/readyz`, this.server, 60_000);
  }

  async kill(): Promise<void> {
    const server = this.server;
    if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    this.keepLog(server);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await this.server.stop();
    this.keepLog(this.server);
  }

  /** Beside the fleet's processes' logs (CHAT_PROCESS_LOG_DIR): the last output of each process. */
  private keepLog(server: ServerProcess): void {
    const dir = process.env.CHAT_PROCESS_LOG_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `gateway-spare-${server.pid}.log`), server.output());
  }
}

/** What a fault needs to act on: the fleet, the spare gateway, the infra/local servers. */
export interface FaultTarget {
  fleet: Fleet;
  gateway: SpareGateway;
}

/** When the fault began and when it was repaired (process ready again, server healthy again). */
export interface FaultTimes {
  faultAt: number;
  repairedAt: number;
}

export interface Fault {
  name: string;
  /** The infra/local server it stops, if any. */
  server?: string;
  inject(target: FaultTarget): Promise<FaultTimes>;
}

/**
 * Runs infra/local's own script on one server, with this process's environment: the instance is
 * the one CHAT_INFRA_RUN and the port overrides name (see infra/local/README.md), the same one the
 * fleet's URLs came from.
 */
const infra = (script: 'up.sh' | 'down.sh', server: string) =>
  new Promise<void>((resolve, reject) => {
    execFile(
      'bash',
      [`infra/local/${script}`, server],
      { cwd: REPO_ROOT, env: process.env, timeout: 180_000 },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`infra/local/${script} ${server} failed: ${stderr.slice(-2_000)}`))
          : resolve(),
    );
  });

const timed = async (fault: () => Promise<void>, repair: () => Promise<void>): Promise<FaultTimes> => {
  const faultAt = performance.now();
  await fault();
  await repair();
  return { faultAt, repairedAt: performance.now() };
};

/** kill -9 of a service process, started again at once (the fleet waits for its readiness). */
const killService = (service: string): Fault => ({
  name: `kill -9 ${service}`,
  inject: ({ fleet }) => {
    const faultAt = performance.now();
    return fleet.restartService(service, 'SIGKILL').then(() => ({ faultAt, repairedAt: performance.now() }));
  },
});

const killGateway: Fault = {
  name: 'kill -9 gateway',
  inject: ({ gateway }) =>
    timed(
      () => gateway.kill(),
      () => gateway.boot(),
    ),
};

/** A server of infra/local stopped (its script's SIGTERM, then SIGKILL if slow) and started again. */
const restartServer = (server: string, label: string): Fault => ({
  name: `restart ${label}`,
  server,
  inject: () =>
    timed(
      () => infra('down.sh', server),
      () => infra('up.sh', server),
    ),
});

/** A server of infra/local stopped, kept down for `seconds`, then started again. */
const stopServer = (server: string, label: string, seconds: number): Fault => ({
  name: `stop ${label} ${seconds} s`,
  server,
  inject: () =>
    timed(
      async () => {
        await infra('down.sh', server);
        await sleep(seconds * 1000);
      },
      () => infra('up.sh', server),
    ),
});

/** Every fault of a full run, in the order they are injected, one at a time, by short name. */
export const FAULTS: ReadonlyMap<string, Fault> = new Map([
  ['message', killService('message')],
  ['search', killService('search')],
  ['media', killService('media')],
  ['notification', killService('notification')],
  ['presence', killService('presence')],
  ['gateway', killGateway],
  ['kafka', restartServer('kafka', 'Kafka')],
  ['redis', restartServer('redis', 'Redis')],
  ['elasticsearch', stopServer('elasticsearch', 'Elasticsearch', 30)],
  ['mongodb', stopServer('mongodb', 'MongoDB-wire (FerretDB)', 30)],
  ['minio', restartServer('minio', 'MinIO')],
]);

export const faultsNamed = (names: string[]): Fault[] =>
  names.map((name) => {
    const fault = FAULTS.get(name);
    if (!fault) throw new Error(`unknown fault "${name}"; known: ${[...FAULTS.keys()].join(', ')}`);
    return fault;
  });

/** Starts again (idempotent) every server these faults stop: a failed fault leaves none down. */
export const restoreServers = async (faults: Fault[]): Promise<void> => {
  for (const server of new Set(faults.flatMap((fault) => (fault.server ? [fault.server] : [])))) {
    await infra('up.sh', server).catch((error: unknown) => progress(`chaos: ${(error as Error).message}`));
  }
};
