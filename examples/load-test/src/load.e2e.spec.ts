import { startEmbeddedHarness } from '@chat/e2e/embedded';
import { TEST_SECRET, type Harness } from '@chat/e2e/harness';
import { runToEnd } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

let h: Harness;
beforeAll(async () => {
  h = await startEmbeddedHarness();
});
afterAll(() => h?.stop());

it('runs a small bounded load as `pnpm start` does and reports every message acked and delivered', async () => {
  const run = await runToEnd('examples/load-test/src/main.ts', {
    CHAT_URL: h.wsUrl,
    JWT_SECRET_KEY: TEST_SECRET,
  });
  expect(run.code, run.output).toBe(0);
  const report = JSON.parse(run.output.slice(run.output.indexOf('{')));
  expect(report).toMatchObject({ clients: 20, sent: 200, acked: 200, delivered: 4000, completed: true });
  expect(report.ack_ms.p50).toBeGreaterThan(0);
});
