/**
 * Wakes whoever waits for a consumer group's progress: each commit in this process calls
 * `changed`, so a wait ends the moment its condition holds instead of at the next poll.
 */
export class ProgressSignal {
  private waiters = new Set<() => void>();

  changed(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Resolves at the next change, or after `ms` (progress made by other processes is not signalled). */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}

/**
 * True once the committed offsets reach the end offsets read at the call, partition by
 * partition; false when `timeoutMs` passes first. Re-checked at every local commit and every
 * `pollMs` (for commits made by another process of the group).
 */
export const committedUpTo = async (
  ends: number[][],
  committed: () => Promise<number[][]> | number[][],
  signal: ProgressSignal,
  timeoutMs: number,
  pollMs: number,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await committed();
    if (ends.every((topicEnds, t) => topicEnds.every((end, p) => (now[t]?.[p] ?? 0) >= end))) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await signal.next(Math.min(pollMs, left));
  }
};
