import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  announce,
  freePort,
  resolveServer,
  startProcess,
  waitForReady,
  type RunningProcess,
  type ServerResolution,
} from '@chat/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { harnessOver, TEST_SECRET, type Harness } from './harness';

export interface FleetServers {
  kafkaBrokers: string;
  mongodbUrl: string;
  redisUrl: string;
}

type Resolved = { available: true; servers: FleetServers } | { available: false; reason: string };

let resolving: Promise<Resolved> | undefined;

/**
 * The real servers the fleet runs on (environment URLs, else testcontainers), resolved once per
 * test file, with what was chosen printed; unavailable when any of them is missing.
 */
export const resolveFleetServers = (): Promise<Resolved> => {
  resolving ??= (async () => {
    const [kafka, mongodb, redis] = await Promise.all([
      resolveServer('kafka'),
      resolveServer('mongodb'),
      resolveServer('redis'),
    ]);
    const all: [string, ServerResolution][] = [
      ['Kafka', kafka],
      ['MongoDB', mongodb],
      ['Redis', redis],
    ];
    for (const [name, resolution] of all) announce(`Fleet on ${name}`, resolution);
    if (!kafka.available || !mongodb.available || !redis.available) {
      const reasons = all.flatMap(([, r]) => (r.available ? [] : [r.reason]));
      return { available: false, reason: reasons.join('; ') };
    }
    return {
      available: true,
      servers: { kafkaBrokers: kafka.url, mongodbUrl: mongodb.url, redisUrl: redis.url },
    };
  })();
  return resolving;
};

export interface Fleet extends Harness {
  /** Stops a service (`message`, …) with `signal` (SIGKILL for a crash) and starts it again. */
  restartService(name: string, signal: NodeJS.Signals): Promise<void>;
}

/**
 * The services behind the gateways, each its own process, and the `/api` prefixes the edge routes
 * to it. A new service joins the fleet tests by joining this list.
 */
const FLEET_SERVICES: { name: string; entry: string; apiPrefixes: string[] }[] = [
  { name: 'message', entry: 'services/message/src/main.ts', apiPrefixes: ['/api/rooms'] },
];

const withDatabase = (mongodbUrl: string, database: string) => {
  const url = new URL(mongodbUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

/**
 * The fleet as separate processes: the message service and `gateways` connection gateways, each
 * started from its `main.ts` with the environment a deployment gives it. Every fleet has its own
 * namespace (Kafka topic prefix, MongoDB database, Redis key prefix, data directory), so fleets
 * never see each other's records on shared servers; `stop` removes what it created.
 */
export const startFleet = async (
  servers: FleetServers,
  env: Record<string, string> = {},
  options: { gateways?: number } = {},
): Promise<Fleet> => {
  const namespace = `fleet_${crypto.randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-fleet-'));
  const database = `chat_${namespace}`;
  const common = {
    KAFKA_BROKERS: servers.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `${namespace}.`,
    MONGODB_URL: withDatabase(servers.mongodbUrl, database),
    REDIS_URL: servers.redisUrl,
    REDIS_KEY_PREFIX: `${namespace}:`,
    JWT_SECRET_KEY: TEST_SECRET,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...env,
  };

  const servicePorts = new Map(
    await Promise.all(FLEET_SERVICES.map(async ({ name }) => [name, await freePort()] as const)),
  );
  const running = new Map<string, RunningProcess>();
  const startService = async (name: string) => {
    const service = FLEET_SERVICES.find((candidate) => candidate.name === name)!;
    const port = servicePorts.get(name)!;
    const process = startProcess(service.entry, { ...common, PORT: String(port) });
    running.set(name, process);
    await waitForReady(`http://127.0.0.1:${port}/readyz`, process, 60_000);
  };
  await Promise.all(FLEET_SERVICES.map(({ name }) => startService(name)));

  const gatewayPorts = await Promise.all(Array.from({ length: options.gateways ?? 2 }, () => freePort()));
  const gateways = gatewayPorts.map((port, index) =>
    startProcess('services/connection-gateway/src/main.ts', {
      ...common,
      PORT: String(port),
      INSTANCE_ID: `${namespace}-gateway-${index + 1}`,
    }),
  );
  await Promise.all(
    gateways.map((gateway, index) =>
      waitForReady(`http://127.0.0.1:${gatewayPorts[index]}/readyz`, gateway, 60_000),
    ),
  );

  const removeNamespace = async () => {
    const kafka = new Kafka({ brokers: servers.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(common.KAFKA_TOPIC_PREFIX));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
    const mongo = await MongoClient.connect(servers.mongodbUrl);
    await mongo.db(database).dropDatabase();
    await mongo.close();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const origin = (name: string) => `http://127.0.0.1:${servicePorts.get(name)}`;
  const harness = harnessOver({
    wsUrls: gatewayPorts.map((port) => `ws://127.0.0.1:${port}/ws`),
    apiUrl: origin('message'),
    apiRoutes: FLEET_SERVICES.flatMap(({ name, apiPrefixes }) =>
      apiPrefixes.map((prefix) => ({ prefix, origin: origin(name) })),
    ),
    async stop() {
      await Promise.all([...gateways, ...running.values()].map((process) => process.stop()));
      await removeNamespace();
    },
  });
  return Object.assign(harness, {
    async restartService(name: string, signal: NodeJS.Signals) {
      await running.get(name)?.stop(signal);
      await startService(name);
    },
  });
};
