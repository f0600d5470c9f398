interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The parts a service runs — relays, projections, consumers — started in order, stopped in
 * reverse order, and named in readiness while they are not running.
 */
export class ServiceParts<Name extends string> {
  private readonly running: { name: Name; part: Stoppable }[] = [];

  constructor(private readonly names: readonly Name[]) {}

  /** Starts a part and keeps it, to stop it with the others. */
  async start<Part extends Stoppable>(name: Name, start: () => Promise<Part> | Part): Promise<Part> {
    const part = await start();
    this.running.push({ name, part });
    return part;
  }

  async stopAll(): Promise<void> {
    while (this.running.length > 0) await this.running.pop()!.part.stop();
  }

  /** The parts not running (yet): empty when the service can take traffic. */
  notRunning(): Name[] {
    return this.names.filter((name) => !this.running.some((running) => running.name === name));
  }
}
