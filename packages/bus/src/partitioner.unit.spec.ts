import { describe, expect, it } from 'vitest';
import { murmur2, partitionFor } from './partitioner';

describe("Kafka's default partitioner", () => {
  it('matches the Java client murmur2 reference values', () => {
    // Reference values from Kafka's UtilsTest.testMurmur2.
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from([97, 98, 99]))).toBe(479470107);
  });

  it('maps a key to the same partition every time, within range', () => {
    for (const key of ['general', 'room-1', 'room-2', '']) {
      const partition = partitionFor(key, 8);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(8);
      expect(partitionFor(key, 8)).toBe(partition);
    }
  });
});
