import { processMemory } from '../measure/proc';
import type { Target } from '../targets/target';

/** The gateway side's memory at one moment: /proc for RSS, the server's own report for its heap. */
export interface MemorySample {
  connections: number;
  rss_kib: number;
  rss_anon_kib: number;
  heap_bytes: number | null;
}

export const sampleMemory = async (target: Target, connections: number): Promise<MemorySample> => {
  let rss_kib = 0;
  let rss_anon_kib = 0;
  for (const pid of target.gatewayPids()) {
    const memory = processMemory(pid);
    rss_kib += memory.rss_kib;
    rss_anon_kib += memory.rss_anon_kib;
  }
  return { connections, rss_kib, rss_anon_kib, heap_bytes: await target.heapBytes() };
};

/** Least-squares slope of y over x: bytes per connection from a series of samples. */
export const slope = (points: [number, number][]): number | null => {
  if (points.length < 2) return null;
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return denominator === 0 ? null : numerator / denominator;
};
