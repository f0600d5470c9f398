import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  FLEET_SERVICES,
  GATEWAY,
  launchFleet,
  mongoDatabaseOf,
  namespaceEnv,
  runDirOf,
  type LaunchedFleet,
} from '@chat/fleet';
import { announce, resolveServer, runToEnd, s3EnvOf, TestSocket, type ServerResolution } from '@chat/testkit';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { findInFleetStores } from './clear-text-scan';
import {
  harnessOver,
  TEST_AUDIENCE,
  TEST_ENCRYPTION_KEY,
  TEST_ISSUER,
  TEST_SECRET,
  type Harness,
} from './harness';

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

/** A client of the S3 server the fleet's media service stores files on. */
export const s3ClientOf = (s3Env: Record<string, string>): S3Client =>
  new S3Client({
    endpoint: s3Env.S3_ENDPOINT,
    region: s3Env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: s3Env.S3_FORCE_PATH_STYLE === 'true',
    credentials: { accessKeyId: s3Env.AWS_ACCESS_KEY_ID!, secretAccessKey: s3Env.AWS_SECRET_ACCESS_KEY! },
  });

/** Deletes every object under the prefix: the files a fleet's media service stored. */
const removeS3Prefix = async (s3Env: Record<string, string>, prefix: string) => {
  const s3 = s3ClientOf(s3Env);
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

/** Deletes what a fleet kept on the servers under its namespace: topics, databases, indexes, keys, files. */
export const removeFleetNamespace = async (servers: FleetServers, namespace: string) => {
  const prefixes = namespaceEnv(namespace);
  const kafka = new Kafka({ brokers: servers.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefixes.KAFKA_TOPIC_PREFIX));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await admin.disconnect();
  const mongo = await MongoClient.connect(servers.mongodbUrl);
  for (const name of [...FLEET_SERVICES.map((service) => service.name), 'keys']) {
    await mongo.db(mongoDatabaseOf(namespace, name)).dropDatabase();
  }
  await mongo.close();
  await removeIndexes(servers.elasticsearchUrl, prefixes.ELASTICSEARCH_INDEX_PREFIX);
  await removeRedisKeys(servers.redisUrl, prefixes.REDIS_KEY_PREFIX);
  await removeS3Prefix(servers.s3Env, prefixes.S3_KEY_PREFIX);
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
  /** An authenticated socket on one gateway (0: the first), past the edge: for specs about gateways. */
  connectTo(gateway: number, userId: string): Promise<TestSocket>;
  /** Every gateway's own `/ws`, in order, past the edge (`wsUrl` is the edge's). */
  readonly gatewayWsUrls: string[];
  /** The environment every process of the fleet runs with: its namespace on the shared servers. */
  readonly env: Readonly<Record<string, string>>;
  /** Where each process of the fleet answers readiness. */
  readonly readyzUrls: string[];
  /** The process ids of the gateways, and of every process behind the edge (for CPU and memory readings). */
  pids(): { gateways: number[]; all: number[] };
}

/**
 * The fleet as `pnpm fleet` starts it (`launchFleet`): every service and `gateways` connection
 * gateways as processes of their own, behind the edge (nginx, on a free port) that scenarios talk
 * to. Every fleet has its own namespace (Kafka topic prefix, MongoDB databases — one per service,
 * as no service reads another's — Redis key prefix, S3 key prefix, Elasticsearch index prefix,
 * data directory), so fleets never see each other's records on shared servers; `stop` removes
 * what it created, and so does a start that fails.
 */
export const startFleet = async (
  servers: FleetServers,
  env: Record<string, string> = {},
  options: { gateways?: number } = {},
): Promise<Fleet> => {
  const namespace = `fleet_${crypto.randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-fleet-'));
  const launch = {
    dataDir,
    namespace,
    edgePort: 0,
    gateways: options.gateways ?? 2,
    env: {
      KAFKA_BROKERS: servers.kafkaBrokers,
      MONGODB_URL: servers.mongodbUrl,
      REDIS_URL: servers.redisUrl,
      ELASTICSEARCH_URL: servers.elasticsearchUrl,
      ...servers.s3Env,
      JWT_SECRET_KEY: TEST_SECRET,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      JWT_ISSUER: TEST_ISSUER,
      JWT_AUDIENCE: TEST_AUDIENCE,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...env,
    },
  };
  const removeNamespace = async () => {
    await removeFleetNamespace(servers, namespace);
    // The processes' logs outlive the fleet where CHAT_PROCESS_LOG_DIR asks for them, as testkit's do.
    const logs = join(runDirOf(dataDir), 'logs');
    const keepIn = process.env.CHAT_PROCESS_LOG_DIR;
    if (keepIn && existsSync(logs)) cpSync(logs, join(keepIn, namespace), { recursive: true });
    rmSync(dataDir, { recursive: true, force: true });
  };

  let fleet: LaunchedFleet;
  try {
    fleet = await launchFleet(launch);
  } catch (error) {
    // A fleet that failed to start leaves nothing behind (launchFleet stopped its processes).
    await removeNamespace();
    throw error;
  }

  const behindEdge = () => fleet.processes().filter(({ name }) => name !== 'edge');
  const gatewayName = (index: number) => `${GATEWAY.name}-${index + 1}`;
  const harness = harnessOver({
    wsUrls: [fleet.wsUrl],
    gatewayWsUrl: fleet.gatewayWsUrls[0],
    apiUrl: fleet.address,
    findInStores: (needle) => findInFleetStores(servers, { namespace, dataDir }, needle),
    async stop() {
      await fleet.stop();
      await removeNamespace();
    },
  });
  return Object.assign(harness, {
    gatewayWsUrls: fleet.gatewayWsUrls,
    env: fleet.env,
    readyzUrls: behindEdge().map(({ port }) => `http://127.0.0.1:${port}/readyz`),
    connectTo: async (gateway: number, userId: string) =>
      TestSocket.authenticated(fleet.gatewayWsUrls[gateway]!, await harness.token(userId)),
    killGateway: (index: number) => fleet.stopProcess(gatewayName(index), 'SIGKILL'),
    async restartService(name: string, signal: NodeJS.Signals) {
      await fleet.stopProcess(name, signal);
      await fleet.startProcess(name);
    },
    stopService: (name: string) => fleet.stopProcess(name),
    startService: (name: string) => fleet.startProcess(name),
    runCommand: (entry: string, service: string) =>
      runToEnd(entry, { ...fleet.env, MONGODB_URL: fleet.mongodbUrlOf(service) }),
    mongodbUrlOf: (service: string) => fleet.mongodbUrlOf(service)!,
    pids: () => ({
      gateways: behindEdge()
        .filter(({ group }) => group === GATEWAY.name)
        .map(({ pid }) => pid),
      all: behindEdge().map(({ pid }) => pid),
    }),
  });
};
