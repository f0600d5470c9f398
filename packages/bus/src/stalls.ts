import type { Stall } from './port';

/** Each stall as readiness names it: which group is stuck where, how long, and on what. */
export const describeStalls = (stalls: Stall[]): string[] =>
  stalls.map(
    ({ groupId, topic, partition, offset, sinceMs, failures, lastError }) =>
      `consumer ${groupId} stuck at ${topic}/${partition}@${offset} for ${Math.round(sinceMs / 1000)} s` +
      (failures > 0 ? ` (${failures} failures; last: ${lastError})` : ''),
  );
