/**
 * Wakes idle partition workers when their partition may have new records: at once for a publish
 * in this bus instance, on the next poll for one committed by another process. Waking by
 * partition, not by topic: every consumer group has a worker per partition, and a worker woken
 * for nothing still reads the log to find that out.
 */
export class LogChanges {
  private readonly idle = new Map<string, Set<() => void>>();

  published(topic: string, partitions: readonly number[]): void {
    for (const partition of partitions) {
      for (const wake of this.idle.get(keyOf(topic, partition)) ?? []) wake();
    }
  }

  changedElsewhere(): void {
    for (const waiting of this.idle.values()) for (const wake of waiting) wake();
  }

  /** Resolves at the next change to the topic's partition, or when `signal` aborts. */
  next(topic: string, partition: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const key = keyOf(topic, partition);
      const waiting = this.idle.get(key) ?? new Set<() => void>();
      this.idle.set(key, waiting);
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

const keyOf = (topic: string, partition: number) => `${topic}\n${partition}`;
