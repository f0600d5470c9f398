import { execFileSync } from 'node:child_process';

/**
 * Where an integration suite gets its real server: the environment URL when set, else a
 * testcontainers container when a container engine answers, else the suite is skipped with
 * the reason printed (so the output says plainly what did not run).
 */
export type ServerKind = 'kafka' | 'mongodb' | 'redis' | 'elasticsearch' | 's3' | 'eventstore';

export type ServerResolution =
  | { available: true; url: string; source: 'env' | 'testcontainers'; stop: () => Promise<void> }
  | { available: false; reason: string };

/** The credentials of the MinIO container started when S3_ENDPOINT is not set. */
export const TEST_MINIO_CREDENTIALS = { accessKeyId: 'chat-minio', secretAccessKey: 'chat-minio-secret' };

const envVarOf: Record<ServerKind, string> = {
  kafka: 'KAFKA_BROKERS',
  mongodb: 'MONGODB_URL',
  redis: 'REDIS_URL',
  elasticsearch: 'ELASTICSEARCH_URL',
  s3: 'S3_ENDPOINT',
  eventstore: 'EVENTSTORE_URL',
};

const containerOf: Record<
  ServerKind,
  { image: string; port: number; env: Record<string, string>; url: (host: string, port: number) => string }
> = {
  kafka: { image: 'apache/kafka:3.9.0', port: 9092, env: {}, url: (h, p) => `${h}:${p}` },
  mongodb: { image: 'mongo:7', port: 27017, env: {}, url: (h, p) => `mongodb://${h}:${p}/chat_test` },
  redis: { image: 'redis:7-alpine', port: 6379, env: {}, url: (h, p) => `redis://${h}:${p}/0` },
  elasticsearch: {
    image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
    port: 9200,
    env: { 'discovery.type': 'single-node', 'xpack.security.enabled': 'false', ES_JAVA_OPTS: '-Xmx512m' },
    url: (h, p) => `http://${h}:${p}`,
  },
  s3: {
    image: 'minio/minio:latest',
    port: 9000,
    env: {
      MINIO_ROOT_USER: TEST_MINIO_CREDENTIALS.accessKeyId,
      MINIO_ROOT_PASSWORD: TEST_MINIO_CREDENTIALS.secretAccessKey,
    },
    url: (h, p) => `http://${h}:${p}`,
  },
  eventstore: {
    image: 'eventstore/eventstore:24.10',
    port: 2113,
    env: { EVENTSTORE_INSECURE: 'true', EVENTSTORE_MEM_DB: 'true' },
    url: (h, p) => `esdb://${h}:${p}?tls=false`,
  },
};

let engineAnswers: boolean | undefined;
const containerEngineAnswers = (): boolean => {
  if (engineAnswers === undefined) {
    try {
      execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
      engineAnswers = true;
    } catch {
      engineAnswers = false;
    }
  }
  return engineAnswers;
};

export const resolveServer = async (kind: ServerKind): Promise<ServerResolution> => {
  const fromEnv = process.env[envVarOf[kind]];
  if (fromEnv) return { available: true, url: fromEnv, source: 'env', stop: async () => {} };
  if (!containerEngineAnswers()) {
    return {
      available: false,
      reason: `${kind}: ${envVarOf[kind]} is not set and no container engine answers (docker info failed)`,
    };
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  const spec = containerOf[kind];
  const container = await new GenericContainer(spec.image)
    .withEnvironment(spec.env)
    .withExposedPorts(spec.port)
    .withCommand(kind === 's3' ? ['server', '/data'] : [])
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  return {
    available: true,
    url: spec.url(container.getHost(), container.getMappedPort(spec.port)),
    source: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
};

const S3_ENV = [
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_S3_BUCKET',
  'AWS_REGION',
];

/**
 * What an S3 client is configured with to reach a resolved S3 server: the environment's settings
 * when it came from there, else those of the MinIO container.
 */
export const s3EnvOf = (server: Extract<ServerResolution, { available: true }>): Record<string, string> => {
  if (server.source === 'env') {
    const given = S3_ENV.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []));
    return { AWS_S3_BUCKET: 'chat-files', ...Object.fromEntries(given) };
  }
  return {
    S3_ENDPOINT: server.url,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: TEST_MINIO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_MINIO_CREDENTIALS.secretAccessKey,
    AWS_S3_BUCKET: 'chat-files',
    AWS_REGION: 'us-east-1',
  };
};

/** Prints which real server a suite runs on, or why it is skipped, so CI output shows it. */
export const announce = (suite: string, resolution: ServerResolution): void => {
  const line = resolution.available
    ? `[integration] ${suite}: running on ${resolution.url} (${resolution.source})`
    : `[integration] ${suite}: SKIPPED — ${resolution.reason}`;
  process.stdout.write(`${line}\n`);
};
