/**
 * `node --import @chat/runtime/telemetry-preload <entry>`: starts tracing before the entry's
 * modules load, so the instrumentations patch them as they load — the ESM import of a CommonJS
 * library (ioredis) is seen only through the import-in-the-middle loader hook registered here,
 * limited to the libraries instrumented. Without an OTLP endpoint it does nothing. The service's
 * name is OTEL_SERVICE_NAME, else the entry's service folder (`services/message/src/main.ts`:
 * `message`; the embedded platform: `chat-embedded`); a service's own `startTelemetry` then
 * returns this one.
 */
import { register } from 'node:module';
import { startTelemetry, tracingConfigured } from './telemetry';

if (tracingConfigured()) {
  register('import-in-the-middle/hook.mjs', import.meta.url, {
    data: { include: ['ioredis', 'mongodb', '@aws-sdk/client-s3'] },
  });
  const service = /services\/([^/]+)\/src\/[^/]+$/.exec(process.argv[1] ?? '')?.[1] ?? 'chat';
  await startTelemetry(service === 'embedded' ? 'chat-embedded' : service);
}
