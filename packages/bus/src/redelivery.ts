/** Attempts at a batch whose failure is not transient, before it is split into single records. */
export const MAX_ATTEMPTS = 5;

/**
 * How long a batch waits before it is handled again after its handler threw: 50 ms, doubling per
 * failed attempt, capped at 1 s for a record that may be bad (it is dead-lettered after
 * `MAX_ATTEMPTS` anyway) and at 5 s for a dependency that is down (gentle while it recovers).
 */
export const redeliveryDelayMs = (failedAttempts: number, transient: boolean): number =>
  Math.min(transient ? 5_000 : 1_000, 50 * 2 ** Math.max(0, failedAttempts - 1));
