/**
 * Wakes idle partition workers when their topic may have new records: at once for a publish in
 * this bus instance, on the next poll for one committed by another process.
 */
export class LogChanges {
  private readonly idle = new Map<string, Set<() => void>>();

  published(topic: string): void {
    for (const wake of this.idle.get(topic) ?? []) wake();
  }

  changedElsewhere(): void {
    for (const waiting of this.idle.values()) for (const wake of waiting) wake();
  }

  /** Resolves at the next change to `topic`, or when `signal` aborts. */
  next(topic: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const waiting = this.idle.get(topic) ?? new Set<() => void>();
      this.idle.set(topic, waiting);
      const wake = () => {
        waiting.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      waiting.add(wake);
      signal.addEventListener('abort', wake);
    });
  }
}
