import { parseArgs } from 'node:util';
import { FLAT_MEMORY_GROWTH_MIB, runWebSocketFuzz } from './ws-fuzz';

/**
 * `pnpm fuzz:ws [--frames N] [--connections N] [--rate N] [--seed N]`: the WebSocket fuzz run
 * at any length (CI runs 100,000 frames in `ws-fuzz.e2e.spec.ts`). Prints the report; exits 1
 * when a property failed, memory that grows included.
 */
const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '200' },
    rate: { type: 'string', default: '15' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});

const report = await runWebSocketFuzz({
  frames: Number(values.frames),
  connections: Number(values.connections),
  framesPerSecond: Number(values.rate),
  authenticatedShare: 0.7,
  seed: Number(values.seed),
  log: (line) => process.stdout.write(`${line}\n`),
});
// Memory every tenth second, to show its course over a long run.
const samples = report.memory.samples.filter((_, i) => i % 10 === 0);
const shown = { seed: Number(values.seed), ...report, memory: { ...report.memory, samples } };
process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
const { legitimate } = report;
const failed =
  report.crashed !== null ||
  report.errorLogs.length > 0 ||
  legitimate.acknowledged !== legitimate.sent ||
  legitimate.delivered !== legitimate.sent ||
  !legitimate.inOrder ||
  report.memory.lastQuarterMiB - report.memory.warmMiB >= FLAT_MEMORY_GROWTH_MIB;
process.exit(failed ? 1 : 0);
