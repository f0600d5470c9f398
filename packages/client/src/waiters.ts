interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** Promises the app awaits, keyed by what will settle them (here: a room id). */
export class Waiters<T> {
  private readonly byKey = new Map<string, Array<Waiter<T>>>();

  wait(key: string): Promise<T> {
    return new Promise((resolve, reject) => {
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), { resolve, reject }]);
    });
  }

  /** False when nobody was waiting. */
  resolve(key: string, value: T): boolean {
    return this.settle(key, (waiter) => waiter.resolve(value));
  }

  /** False when nobody was waiting. */
  reject(key: string, error: Error): boolean {
    return this.settle(key, (waiter) => waiter.reject(error));
  }

  rejectAll(error: Error): void {
    for (const key of [...this.byKey.keys()]) this.reject(key, error);
  }

  private settle(key: string, settle: (waiter: Waiter<T>) => void): boolean {
    const waiters = this.byKey.get(key);
    this.byKey.delete(key);
    waiters?.forEach(settle);
    return waiters !== undefined;
  }
}
