export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /**
   * `full` picks a delay uniformly below the exponential ceiling, so a crowd of clients dropped by
   * the same outage does not come back in lockstep; `none` uses the ceiling itself.
   */
  jitter: 'full' | 'none';
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 30_000, factor: 2, jitter: 'full' };

/** Delay before retry number `attempt` (0 for the first): exponential, capped at `maxMs`. */
export const backoffDelay = (
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number => {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.factor ** attempt);
  return policy.jitter === 'full' ? Math.floor(random() * ceiling) : ceiling;
};
