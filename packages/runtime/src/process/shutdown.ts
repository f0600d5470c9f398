import type { Logger } from 'pino';

/**
 * Graceful shutdown for a service process: on SIGTERM or SIGINT, run `stop` once (drain sockets,
 * stop consumers, close stores), then exit 0, or 1 when stopping failed.
 */
export const stopOnSignals = (logger: Logger, stop: () => Promise<void>): void => {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
};
