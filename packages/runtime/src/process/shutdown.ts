import type { Logger } from 'pino';

/** One step of a shutdown, named so that a step that hangs can be told in the log. */
export type ShutdownStep = readonly [name: string, run: () => unknown];

/** Below Kubernetes' default grace period (30 s), so the process says what hung before SIGKILL. */
export const DEFAULT_SHUTDOWN_DEADLINE_MS = 25_000;

/**
 * Graceful shutdown for a service process: on SIGTERM or SIGINT, run the steps once, in order
 * (drain sockets, stop consumers, close stores), then exit 0, or 1 when a step failed. A step
 * still running at the deadline is logged by name and the process exits 1: a process that will
 * not stop holds its Kafka partitions and its port until something kills it.
 */
export const stopOnSignals = (
  logger: Logger,
  steps: readonly ShutdownStep[],
  deadlineMs = Number(process.env.SHUTDOWN_DEADLINE_MS ?? DEFAULT_SHUTDOWN_DEADLINE_MS),
): void => {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    let current = '';
    const deadline = setTimeout(() => {
      logger.error({ step: current, deadline_ms: deadlineMs }, 'shutdown step did not finish in time');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    try {
      for (const [name, run] of steps) {
        current = name;
        await run();
      }
      process.exit(0);
    } catch (error) {
      logger.error({ err: error, step: current }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));
};
