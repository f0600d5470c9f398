/** Errors by code: error frames by their `code`, closes as `close_<code>`, socket errors by errno. */
export class ErrorCounts {
  private readonly counts = new Map<string, number>();

  add(code: string, count = 1): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + count);
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Events per wall-clock second since `start` (ms, performance.now()), e.g. deliveries. */
export class PerSecond {
  private readonly buckets: number[] = [];

  constructor(private readonly start: number) {}

  add(now: number, count = 1): void {
    const second = Math.floor((now - this.start) / 1000);
    if (second < 0) return;
    while (this.buckets.length <= second) this.buckets.push(0);
    this.buckets[second]! += count;
  }

  /** Whole seconds only: a trailing partial second would understate the rate. */
  timeline(seconds: number): number[] {
    return Array.from({ length: seconds }, (_, index) => this.buckets[index] ?? 0);
  }
}
