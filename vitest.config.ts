import { defineConfig } from 'vitest/config';

// Test files name their level: *.unit.spec.ts (pure), *.int.spec.ts (an adapter against a real
// engine), *.e2e.spec.ts (the embedded app over real sockets), *.fleet.spec.ts (separate
// processes on real servers).
const project = (name: string, timeout: number) => ({
  test: {
    name,
    include: [`{packages,services}/*/src/**/*.${name}.spec.ts`],
    testTimeout: timeout,
    hookTimeout: timeout,
  },
});

export default defineConfig({
  test: {
    projects: [
      project('unit', 5_000),
      project('int', 60_000),
      project('e2e', 30_000),
      project('fleet', 120_000),
    ],
  },
});
