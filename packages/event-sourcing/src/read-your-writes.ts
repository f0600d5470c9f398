/** How often a wait re-checks on its own, for progress made in other processes (not signalled here). */
const POLL_MS = 50;

/**
 * Waits until `reached()` holds — checked at once, after every change `nextChange` signals in
 * this process, and every 50 ms besides — for at most `timeoutMs`. True if reached in time.
 * Read-your-writes by position: a request waits for the view to show what it depends on, never a
 * fixed time.
 */
export const waitUntil = async (
  reached: () => Promise<boolean> | boolean,
  nextChange: (ms: number) => Promise<void>,
  timeoutMs: number,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await reached()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await nextChange(Math.min(POLL_MS, left));
  }
};
