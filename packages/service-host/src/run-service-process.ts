import type { Bus } from '@chat/bus';
import { describeStalls } from '@chat/bus';
import { openBusFromEnv } from '@chat/bus/from-env';
import { startSuspensionView, type SuspensionView } from '@chat/room-access';
import {
  fleetAuthSettingsFromEnv,
  createAuthenticator,
  refusingUsers,
  createBusMetrics,
  createHttpApp,
  createLogger,
  createRegistry,
  loadSettings,
  metricsAccessFromEnv,
  registerOperationalRoutes,
  startTelemetry,
  stopOnSignals,
  type ShutdownStep,
  type HttpApp,
  type Logger,
  type Registry,
  type Settings,
} from '@chat/runtime';

/** What a service gives its process to run: its routes, its lifecycle and its readiness. */
export interface HostedService {
  registerRoutes(http: HttpApp): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** What the service still waits for; empty when it can take traffic (`/readyz`). */
  notReady(): string[];
}

/** The pieces a service is built from, some opened from the environment on demand. */
export interface ServiceProcessHost {
  /** The service's name (see `ServiceProcessOptions.name`). */
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly registry: Registry;
  /** The REST app, with the JWT authenticator from the environment; listens once the service started. */
  readonly http: HttpApp;
  /** The settings file with its environment overrides, loaded the first time it is read. */
  readonly settings: Settings;
  /**
   * The bus (KAFKA_BROKERS, else the embedded one), as client INSTANCE_ID (default: the service's
   * name); closed at stop right after the service.
   */
  openBus(): Promise<Bus>;
  /** Closes something else the service opened, at stop: after the bus, in the order of these calls. */
  closeOnStop(close: () => unknown): void;
}

export interface ServiceProcessOptions {
  /** The service's name: in logs and traces, the default bus client id, its folder under DATA_DIR. */
  name: string;
  /** The OpenAPI document's title. */
  title: string;
  /** The port listened on when PORT is not set. */
  defaultPort: number;
  build(host: ServiceProcessHost): Promise<HostedService> | HostedService;
  env?: NodeJS.ProcessEnv;
}

/** The bus consumers stuck on one batch past the configured threshold, as readiness names them. */
const stalledConsumers = (bus: Bus | undefined, settings: Settings): string[] =>
  bus ? describeStalls(bus.stalls(settings.bus.stall_threshold_seconds * 1000)) : [];

/**
 * Runs one service as its own process (fleet mode): telemetry, logs, metrics and the REST app,
 * then the service that `build` makes from them and from what it opens through the host; starts
 * it, listens on PORT and HOST, and on SIGTERM or SIGINT stops in this order: the REST app, the
 * service, the bus, what was passed to `closeOnStop` (in that order), telemetry.
 */
export const runServiceProcess = async (options: ServiceProcessOptions): Promise<void> => {
  const { name, env = process.env } = options;
  const stopTelemetry = await startTelemetry(name);
  const logger = createLogger(name);
  const registry = createRegistry();
  let settings: Settings | undefined;
  const readSettings = () => (settings ??= loadSettings(env));
  let bus: Bus | undefined;
  const closers: (() => unknown)[] = [];

  // Suspended users are refused on every route once the service's bus feeds the view (below).
  let suspensions: SuspensionView | undefined;
  const http = await createHttpApp({
    title: options.title,
    logger,
    authenticator: refusingUsers(
      createAuthenticator(fleetAuthSettingsFromEnv(env)),
      (userId) => suspensions?.refusal(userId) ?? null,
    ),
  });
  const service = await options.build({
    name,
    env,
    logger,
    registry,
    http,
    get settings() {
      return readSettings();
    },
    openBus: async () =>
      (bus = await openBusFromEnv(env, {
        clientId: env.INSTANCE_ID ?? name,
        logger,
        metrics: createBusMetrics(registry),
      })),
    closeOnStop: (close) => void closers.push(close),
  });

  service.registerRoutes(http);
  registerOperationalRoutes(http, {
    registry,
    notReady: () => [
      ...service.notReady(),
      ...(suspensions?.notReady() ?? []),
      ...stalledConsumers(bus, readSettings()),
    ],
    metrics: metricsAccessFromEnv(env, false),
  });
  await service.start();
  if (bus) suspensions = await startSuspensionView({ bus, reader: name, logger });
  await http.listen({ port: Number(env.PORT ?? options.defaultPort), host: env.HOST ?? '0.0.0.0' });

  stopOnSignals(logger, [
    ['http', () => http.close()],
    ['service', () => service.stop()],
    ['suspensions', () => suspensions?.stop()],
    ['bus', () => bus?.close()],
    ...closers.map((close, index): ShutdownStep => [`close #${index + 1}`, close]),
    ['telemetry', () => stopTelemetry()],
  ]);
};
