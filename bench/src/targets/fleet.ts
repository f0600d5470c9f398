import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { nativeWire } from '../wire/wire';
import { freePort, spawnTypeScript, waitForHttp, type ServerProcess } from './processes';
import { BENCH_LIMITS, BENCH_SECRET, createRoomOverRest, prometheusValue, type Target } from './target';

/** Why the fleet cannot run here, or null when its servers are configured. */
export const fleetUnavailable = (env: NodeJS.ProcessEnv = process.env): string | null => {
  const missing = ['KAFKA_BROKERS', 'MONGODB_URL', 'REDIS_URL'].filter((name) => !env[name]);
  return missing.length === 0
    ? null
    : `${missing.join(', ')} not set (pnpm infra:up; set -a; . /tmp/chat-infra/env; set +a)`;
};

const withDatabase = (mongodbUrl: string, database: string) => {
  const url = new URL(mongodbUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

/**
 * The fleet as a deployment runs it: the message service and `gateways` connection gateways as
 * separate processes on Kafka, MongoDB (read model, checkpoints) and Redis (connection registry);
 * the event store is SQLite under the data directory, as on every machine without EventStoreDB.
 * The run has its own namespace (topic prefix, database, key prefix), removed at stop.
 */
export const startFleetTarget = async (options: { gateways?: number } = {}): Promise<Target> => {
  const unavailable = fleetUnavailable();
  if (unavailable) throw new Error(unavailable);
  const env = process.env as Record<string, string>;
  const namespace = `bench_${crypto.randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-fleet-'));
  const database = `chat_${namespace}`;
  const settings = { ...BENCH_LIMITS, LOG_LEVEL: 'warn' };
  const common = {
    ...settings,
    KAFKA_BROKERS: env.KAFKA_BROKERS!,
    KAFKA_TOPIC_PREFIX: `${namespace}.`,
    MONGODB_URL: withDatabase(env.MONGODB_URL!, database),
    REDIS_URL: env.REDIS_URL!,
    REDIS_KEY_PREFIX: `${namespace}:`,
    JWT_SECRET_KEY: BENCH_SECRET,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
  };
  const processes: ServerProcess[] = [];

  const removeNamespace = async () => {
    const kafka = new Kafka({ brokers: env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(common.KAFKA_TOPIC_PREFIX));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
    const mongo = await MongoClient.connect(env.MONGODB_URL!);
    await mongo.db(database).dropDatabase();
    await mongo.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await removeNamespace();
  };

  try {
    const messagePort = await freePort();
    const message = spawnTypeScript('message', 'services/message/src/main.ts', {
      ...common,
      PORT: String(messagePort),
    });
    processes.push(message);
    await waitForHttp(`http://127.0.0.1:${messagePort}/readyz`, message, 90_000);
    const gatewayPorts = await Promise.all(Array.from({ length: options.gateways ?? 1 }, () => freePort()));
    const gateways = gatewayPorts.map((port, index) =>
      spawnTypeScript(`gateway-${index + 1}`, 'services/connection-gateway/src/main.ts', {
        ...common,
        PORT: String(port),
        INSTANCE_ID: `${namespace}-gateway-${index + 1}`,
      }),
    );
    processes.push(...gateways);
    await Promise.all(
      gateways.map((gateway, index) =>
        waitForHttp(`http://127.0.0.1:${gatewayPorts[index]}/readyz`, gateway, 90_000),
      ),
    );
    const apiUrl = `http://127.0.0.1:${messagePort}`;
    return {
      name: 'fleet',
      wire: nativeWire,
      wsUrls: gatewayPorts.map((port) => `ws://127.0.0.1:${port}/ws`),
      apiUrl,
      settings: { ...settings, GATEWAYS: String(gateways.length) },
      notes: [
        `message service + ${gateways.length} gateway(s) as processes on Kafka, MongoDB-wire (FerretDB) and Redis, all on this machine`,
      ],
      createRoom: (ownerId, name) => createRoomOverRest(apiUrl, ownerId, name),
      gatewayPids: () => gateways.map((gateway) => gateway.pid),
      serverPids: () => processes.map((process) => process.pid),
      heapBytes: async () => {
        const heaps = await Promise.all(
          gatewayPorts.map((port) =>
            prometheusValue(`http://127.0.0.1:${port}/metrics`, 'nodejs_heap_size_used_bytes'),
          ),
        );
        return heaps.every((heap) => heap !== null) ? heaps.reduce((a, b) => a! + b!, 0) : null;
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
};
