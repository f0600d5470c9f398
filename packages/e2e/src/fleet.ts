import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  announce,
  freePort,
  resolveServer,
  runToEnd,
  s3EnvOf,
  startProcess,
  waitForReady,
  type RunningProcess,
  type ServerResolution,
} from '@chat/testkit';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { harnessOver, TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET, type Harness } from './harness';

export interface FleetServers {
  kafkaBrokers: string;
  mongodbUrl: string;
  redisUrl: string;
  /** The S3 settings of the media service (S3_ENDPOINT, AWS_*). */
  s3Env: Record<string, string>;
  elasticsearchUrl: string;
}

type Resolved = { available: true; servers: FleetServers } | { available: false; reason: string };

let resolving: Promise<Resolved> | undefined;

/**
 * The real servers the fleet runs on (environment URLs, else testcontainers), resolved once per
 * test file, with what was chosen printed; unavailable when any of them is missing.
 */
export const resolveFleetServers = (): Promise<Resolved> => {
  resolving ??= (async () => {
    const [kafka, mongodb, redis, s3, elasticsearch] = await Promise.all([
      resolveServer('kafka'),
      resolveServer('mongodb'),
      resolveServer('redis'),
      resolveServer('s3'),
      resolveServer('elasticsearch'),
    ]);
    const all: [string, ServerResolution][] = [
      ['Kafka', kafka],
      ['MongoDB', mongodb],
      ['Redis', redis],
      ['S3', s3],
      ['Elasticsearch', elasticsearch],
    ];
    for (const [name, resolution] of all) announce(`Fleet on ${name}`, resolution);
    if (
      !kafka.available ||
      !mongodb.available ||
      !redis.available ||
      !s3.available ||
      !elasticsearch.available
    ) {
      const reasons = all.flatMap(([, r]) => (r.available ? [] : [r.reason]));
      return { available: false, reason: reasons.join('; ') };
    }
    return {
      available: true,
      servers: {
        kafkaBrokers: kafka.url,
        mongodbUrl: mongodb.url,
        redisUrl: redis.url,
        s3Env: s3EnvOf(s3),
        elasticsearchUrl: elasticsearch.url,
      },
    };
  })();
  return resolving;
};

/** Deletes every object under the prefix: the files a fleet's media service stored. */
const removeS3Prefix = async (s3Env: Record<string, string>, prefix: string) => {
  const s3 = new S3Client({
    endpoint: s3Env.S3_ENDPOINT,
    region: s3Env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: s3Env.S3_FORCE_PATH_STYLE === 'true',
    credentials: { accessKeyId: s3Env.AWS_ACCESS_KEY_ID!, secretAccessKey: s3Env.AWS_SECRET_ACCESS_KEY! },
  });
  const Bucket = s3Env.AWS_S3_BUCKET!;
  for (;;) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
    const objects = (listed.Contents ?? []).map(({ Key }) => ({ Key }));
    if (objects.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: objects } }));
  }
  s3.destroy();
};

/** Deletes the fleet's Redis keys (the presence service keeps its state there). */
const removeRedisKeys = async (url: string, prefix: string) => {
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
};

/** Deletes the fleet's Elasticsearch indexes, by name: deleting by wildcard may be refused. */
const removeIndexes = async (url: string, prefix: string) => {
  const listed = await fetch(`${url}/_cat/indices/${prefix}*?format=json&h=index`);
  const names = ((await listed.json()) as { index: string }[]).map(({ index }) => index);
  if (names.length > 0) await fetch(`${url}/${names.join(',')}`, { method: 'DELETE' });
};

export interface Fleet extends Harness {
  /** Stops a service (`message`, …) with `signal` (SIGKILL for a crash) and starts it again. */
  restartService(name: string, signal: NodeJS.Signals): Promise<void>;
  /** Stops a service gracefully; `startService` brings it back on the same port. */
  stopService(name: string): Promise<void>;
  startService(name: string): Promise<void>;
  /** Runs an operator command of this repo (`services/search/src/rebuild-main.ts`) with a service's environment. */
  runCommand(entry: string, service: string): ReturnType<typeof runToEnd>;
  /** The MongoDB database of a service (`message`, …): each has its own. */
  mongodbUrlOf(service: string): string;
  /** Kills a gateway (0: the first) with SIGKILL: its sockets drop without any goodbye. */
  killGateway(index: number): Promise<void>;
  /** Every gateway's `/ws`, in order (`wsUrl` hands them out in turn). */
  readonly wsUrls: string[];
  /** The environment every process of the fleet runs with: its namespace on the shared servers. */
  readonly env: Readonly<Record<string, string>>;
  /** Where each process of the fleet answers readiness. */
  readonly readyzUrls: string[];
  /** The process ids of the gateways, and of every process of the fleet (for CPU and memory readings). */
  pids(): { gateways: number[]; all: number[] };
}

/**
 * The services behind the gateways, each its own process, and the `/api` prefixes the edge routes
 * to it. A new service joins the fleet tests by joining this list.
 */
const FLEET_SERVICES: { name: string; entry: string; apiPrefixes: string[] }[] = [
  {
    name: 'message',
    entry: 'services/message/src/main.ts',
    apiPrefixes: ['/api/rooms', '/api/dms', '/api/mentions'],
  },
  { name: 'search', entry: 'services/search/src/main.ts', apiPrefixes: ['/api/search'] },
  { name: 'media', entry: 'services/media/src/main.ts', apiPrefixes: ['/api/media'] },
  { name: 'notification', entry: 'services/notification/src/main.ts', apiPrefixes: ['/api/notifications'] },
  { name: 'presence', entry: 'services/presence/src/main.ts', apiPrefixes: ['/api/presence'] },
];

const withDatabase = (mongodbUrl: string, database: string) => {
  const url = new URL(mongodbUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

/**
 * The fleet as separate processes: the services and `gateways` connection gateways, each
 * started from its `main.ts` with the environment a deployment gives it. Every fleet has its own
 * namespace (Kafka topic prefix, MongoDB databases — one per service, as no service reads another's —
 * Redis key prefix, S3 key prefix, Elasticsearch
 * index prefix, data directory), so fleets never see each other's records on shared servers; `stop`
 * removes what it created, and so does a start that fails.
 */
export const startFleet = async (
  servers: FleetServers,
  env: Record<string, string> = {},
  options: { gateways?: number } = {},
): Promise<Fleet> => {
  const namespace = `fleet_${crypto.randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-fleet-'));
  const database = `chat_${namespace}`;
  const mongodbUrlOf = (service: string) => withDatabase(servers.mongodbUrl, `${database}_${service}`);
  const common = {
    KAFKA_BROKERS: servers.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `${namespace}.`,
    REDIS_URL: servers.redisUrl,
    REDIS_KEY_PREFIX: `${namespace}:`,
    ELASTICSEARCH_URL: servers.elasticsearchUrl,
    ELASTICSEARCH_INDEX_PREFIX: `${namespace}-`,
    ...servers.s3Env,
    S3_KEY_PREFIX: `${namespace}/`,
    JWT_SECRET_KEY: TEST_SECRET,
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
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
    const process = startProcess(service.entry, {
      ...common,
      MONGODB_URL: mongodbUrlOf(name),
      PORT: String(port),
    });
    running.set(name, process);
    await waitForReady(`http://127.0.0.1:${port}/readyz`, process, 60_000);
  };
  const gatewayPorts = await Promise.all(Array.from({ length: options.gateways ?? 2 }, () => freePort()));
  const gateways: RunningProcess[] = [];
  const startAll = async () => {
    await Promise.all(FLEET_SERVICES.map(({ name }) => startService(name)));
    gateways.push(
      ...gatewayPorts.map((port, index) =>
        startProcess('services/connection-gateway/src/main.ts', {
          ...common,
          PORT: String(port),
          INSTANCE_ID: `${namespace}-gateway-${index + 1}`,
        }),
      ),
    );
    await Promise.all(
      gateways.map((gateway, index) =>
        waitForReady(`http://127.0.0.1:${gatewayPorts[index]}/readyz`, gateway, 60_000),
      ),
    );
  };
  const stopAll = () => Promise.all([...gateways, ...running.values()].map((process) => process.stop()));

  const removeNamespace = async () => {
    const kafka = new Kafka({ brokers: servers.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(common.KAFKA_TOPIC_PREFIX));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
    const mongo = await MongoClient.connect(servers.mongodbUrl);
    for (const { name } of FLEET_SERVICES) await mongo.db(`${database}_${name}`).dropDatabase();
    await mongo.close();
    await removeIndexes(servers.elasticsearchUrl, common.ELASTICSEARCH_INDEX_PREFIX);
    await removeRedisKeys(servers.redisUrl, common.REDIS_KEY_PREFIX);
    await removeS3Prefix(servers.s3Env, common.S3_KEY_PREFIX);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await startAll();
  } catch (error) {
    // A fleet that failed to start leaves nothing behind: its processes would outlive the test run.
    await stopAll();
    await removeNamespace();
    throw error;
  }

  const origin = (name: string) => `http://127.0.0.1:${servicePorts.get(name)}`;
  const wsUrls = gatewayPorts.map((port) => `ws://127.0.0.1:${port}/ws`);
  const harness = harnessOver({
    wsUrls,
    apiUrl: origin('message'),
    apiRoutes: FLEET_SERVICES.flatMap(({ name, apiPrefixes }) =>
      apiPrefixes.map((prefix) => ({ prefix, origin: origin(name) })),
    ),
    async stop() {
      await stopAll();
      await removeNamespace();
    },
  });
  return Object.assign(harness, {
    wsUrls,
    env: common,
    readyzUrls: [...servicePorts.values(), ...gatewayPorts].map((port) => `http://127.0.0.1:${port}/readyz`),
    killGateway: (index: number) => gateways[index]!.stop('SIGKILL'),
    async restartService(name: string, signal: NodeJS.Signals) {
      await running.get(name)?.stop(signal);
      await startService(name);
    },
    stopService: async (name: string) => running.get(name)?.stop(),
    startService,
    runCommand: (entry: string, service: string) =>
      runToEnd(entry, { ...common, MONGODB_URL: mongodbUrlOf(service) }),
    mongodbUrlOf,
    pids: () => {
      const gatewayPids = gateways.map((gateway) => gateway.child.pid!);
      return {
        gateways: gatewayPids,
        all: [...gatewayPids, ...[...running.values()].map((service) => service.child.pid!)],
      };
    },
  });
};
