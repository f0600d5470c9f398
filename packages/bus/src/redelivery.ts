/**
 * How long a record waits before it is delivered again after its handler threw: 50 ms, doubling
 * per failed attempt, capped at 1 s — quick for a blip, gentle for a dependency that is down.
 */
export const redeliveryDelayMs = (failedAttempts: number): number =>
  Math.min(1_000, 50 * 2 ** Math.max(0, failedAttempts - 1));
