import { defineConfig } from 'vitest/config';

// Test files name their level: *.unit.spec.ts (pure), *.int.spec.ts (an adapter against a real
// engine), *.e2e.spec.ts (the embedded app over real sockets), *.fleet.spec.ts (separate
// processes on real servers). The end-to-end scenarios under packages/e2e/src/scenarios run in
// both the e2e and the fleet project: the fleet project points them at the fleet.
const project = (name: string, timeout: number, extra: string[] = []) => ({
  test: {
    name,
    include: [`{packages,services}/*/src/**/*.${name}.spec.ts`, ...extra],
    testTimeout: timeout,
    hookTimeout: timeout,
  },
});

export default defineConfig({
  test: {
    projects: [
      // The chaos harness's verdicts (bench/src/chaos) are pure: unit tests.
      project('unit', 5_000, ['bench/src/**/*.unit.spec.ts']),
      // The benchmark harness's seconds-long smoke run (bench/src/smoke.int.spec.ts).
      project('int', 60_000, ['bench/src/**/*.int.spec.ts']),
      // The examples run against the embedded app, as a newcomer first runs them.
      project('e2e', 30_000, ['examples/*/src/**/*.e2e.spec.ts']),
      // Pages in a real Chromium against the embedded app (`pnpm test:browser`), one step after another.
      project('browser', 60_000),
      {
        test: {
          name: 'fleet',
          include: [
            '{packages,services}/*/src/**/*.fleet.spec.ts',
            'packages/e2e/src/scenarios/*.e2e.spec.ts',
          ],
          env: { CHAT_E2E_TARGET: 'fleet' },
          // Each file boots a fleet of processes; on a small machine they run one at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
