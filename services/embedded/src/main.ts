import { createLogger } from '@chat/runtime';
import { startEmbedded } from './app';

const logger = createLogger('chat-embedded');
const app = await startEmbedded({
  dataDir: process.env.DATA_DIR ?? './data',
  port: Number(process.env.PORT ?? 8000),
  host: process.env.HOST ?? '0.0.0.0',
  logger,
});

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  app.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
