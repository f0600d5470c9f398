import { createLogger, startTelemetry, stopOnSignals } from '@chat/runtime';
import { startEmbedded } from './app';

const stopTelemetry = await startTelemetry('chat-embedded');
const logger = createLogger('chat-embedded');
const app = await startEmbedded({
  dataDir: process.env.DATA_DIR ?? './data',
  port: Number(process.env.PORT ?? 8000),
  host: process.env.HOST ?? '127.0.0.1',
  logger,
});
stopOnSignals(logger, [
  ['platform', () => app.stop()],
  ['telemetry', () => stopTelemetry()],
]);
