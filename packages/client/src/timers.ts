/** Named timeouts: setting a name again replaces its timer; all can be cancelled when a connection ends. */
export class Timers {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  set(name: string, delayMs: number, run: () => void): void {
    this.clear(name);
    const timer = setTimeout(() => {
      this.pending.delete(name);
      run();
    }, delayMs);
    this.pending.set(name, timer);
  }

  has(name: string): boolean {
    return this.pending.has(name);
  }

  clear(name: string): void {
    clearTimeout(this.pending.get(name));
    this.pending.delete(name);
  }

  clearAll(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
