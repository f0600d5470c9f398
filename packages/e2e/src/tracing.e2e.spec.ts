import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import {
  freePort,
  startOtlpReceiver,
  startProcess,
  waitForReady,
  type OtlpReceiver,
  type RunningProcess,
} from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessOver, TEST_SECRET, type Harness } from './harness';
import { expectMessagesTraced } from './tracing';

describe('traces of the embedded platform, exported over OTLP/HTTP', () => {
  let dataDir: string;
  let receiver: OtlpReceiver;
  let server: RunningProcess;
  let h: Harness;

  beforeAll(async () => {
    dataDir = mkdtempSync(joinPath(tmpdir(), 'chat-tracing-'));
    receiver = await startOtlpReceiver();
    const port = await freePort();
    server = startProcess('services/embedded/src/main.ts', {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET_KEY: TEST_SECRET,
      LOG_LEVEL: 'warn',
      // The embedded layout only, even where the environment names real servers for other suites.
      KAFKA_BROKERS: '',
      MONGODB_URL: '',
      REDIS_URL: '',
      ELASTICSEARCH_URL: '',
      EVENTSTORE_URL: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await waitForReady(`http://127.0.0.1:${port}/readyz`, server, 60_000);
    h = harnessOver({
      wsUrls: [`ws://127.0.0.1:${port}/ws`],
      apiUrl: `http://127.0.0.1:${port}`,
      stop: async () => {},
    });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('follows a message from its frame through the decision and the relay to the fan-out and every projection', async () => {
    await expectMessagesTraced(h, receiver.spans, { gateway: 'chat-embedded', message: 'chat-embedded' });
  }, 60_000);

  it('traces REST requests (the standard HTTP instrumentation) and leaves probes out', async () => {
    const rooms = await h.api('alice', 'GET', '/api/rooms');
    expect(rooms.status).toBe(200);
    await fetch(`${h.apiUrl}/healthz`);
    await expect
      .poll(() => receiver.spans.filter((span) => span.attributes['http.route'] === '/api/rooms').length, {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    expect(
      receiver.spans.filter((span) =>
        String(span.attributes['url.path'] ?? span.attributes['http.target']).startsWith('/healthz'),
      ),
    ).toEqual([]);
  }, 30_000);
});
