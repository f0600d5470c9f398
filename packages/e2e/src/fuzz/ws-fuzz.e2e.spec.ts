import { describe, expect, it } from 'vitest';
import { FLAT_MEMORY_GROWTH_MIB, runWebSocketFuzz } from './ws-fuzz';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

describe(`WebSocket fuzz run against the embedded platform (seed ${seed}; FUZZ_SEED repeats it)`, () => {
  it('survives 100,000 random and mutated frames: no crash, no error logged, memory flat, every legitimate message delivered', async () => {
    const report = await runWebSocketFuzz({
      frames: 100_000,
      connections: 200,
      framesPerSecond: 15,
      authenticatedShare: 0.7,
      seed,
    });
    expect(report.crashed).toBeNull();
    expect(report.errorLogs).toEqual([]);
    expect(report.framesSent).toBeGreaterThanOrEqual(100_000);
    // Refusals with codes are what most of the frames must get.
    expect(report.answers['error:invalid_frame']).toBeGreaterThan(10_000);
    const { legitimate } = report;
    expect(legitimate.sent).toBeGreaterThan(0);
    expect(legitimate).toEqual({
      ...legitimate,
      acknowledged: legitimate.sent,
      delivered: legitimate.sent,
      inOrder: true,
    });
    expect(report.memory.lastQuarterMiB - report.memory.warmMiB).toBeLessThan(FLAT_MEMORY_GROWTH_MIB);
  }, 300_000);
});
