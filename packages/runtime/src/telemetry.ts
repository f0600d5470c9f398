import { isOperationalPath } from './http/operational-paths';

/** Where spans go: tracing runs only when one of these is set. */
export const tracingConfigured = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) &&
  env.OTEL_SDK_DISABLED !== 'true';

/**
 * The standard instrumentations of what the services talk to: REST in and HTTP out (node:http,
 * fetch), MongoDB, Redis, S3. Elasticsearch's client traces itself through the OpenTelemetry API.
 * The bus, the event store, the deciders and the gateway's WebSocket frames are traced by hand
 * (`@chat/bus` trace context), since uWebSockets.js is not node:http and the bus carries context
 * in record headers. Loaded only when tracing runs: a process that does not trace never loads them.
 */
const instrumentations = async () => {
  const [http, undici, mongodb, ioredis, aws] = await Promise.all([
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-mongodb'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@opentelemetry/instrumentation-aws-sdk'),
  ]);
  return [
    new http.HttpInstrumentation({
      // Probes and scrapes are not traffic.
      ignoreIncomingRequestHook: (request) => isOperationalPath(request.url ?? ''),
    }),
    new undici.UndiciInstrumentation(),
    new mongodb.MongoDBInstrumentation(),
    new ioredis.IORedisInstrumentation(),
    new aws.AwsInstrumentation(),
  ];
};

let running: Promise<() => Promise<void>> | null = null;

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured; otherwise the API's no-op
 * tracer stays in place and nothing is exported or recorded. The SDK reads the standard
 * variables itself: OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL (`http/protobuf`,
 * `http/json`, `grpc`), OTEL_TRACES_SAMPLER and its argument, OTEL_SERVICE_NAME (which wins over
 * `serviceName`), OTEL_RESOURCE_ATTRIBUTES. Started once per process: a later call (the embedded
 * host's services, or a process whose preload started it) gets the same stop.
 */
export const startTelemetry = (
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<() => Promise<void>> => {
  if (!tracingConfigured(env)) return Promise.resolve(async () => {});
  running ??= startSdk(serviceName, env);
  return running;
};

const startSdk = async (serviceName: string, env: NodeJS.ProcessEnv) => {
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    instrumentations: await instrumentations(),
  });
  sdk.start();
  return () => sdk.shutdown();
};
