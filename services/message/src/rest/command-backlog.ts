/**
 * The REST commands this process is deciding now, oldest first: how far behind its command
 * pipeline is. A send that would join a backlog older than the bound is refused at once.
 */
export class CommandBacklog {
  /** In the order commands started: the first entry is the oldest still running. */
  private readonly started = new Map<number, number>();
  private nextId = 0;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  async track<T>(work: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    this.started.set(id, this.clock());
    try {
      return await work();
    } finally {
      this.started.delete(id);
    }
  }

  /** How long the oldest command still running has taken so far (0: none is running). */
  lagMs(): number {
    const oldest = this.started.values().next();
    return oldest.done ? 0 : this.clock() - oldest.value;
  }
}
