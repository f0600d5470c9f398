/**
 * Pings every interval and declares the connection dead after two intervals without any frame.
 * A half-open TCP connection (a laptop lid closed, a NAT entry expired) raises no event on its
 * own; the server answers every ping, so silence means nobody is listening.
 */
export class Heartbeat {
  private pinger: ReturnType<typeof setInterval> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly ping: () => void,
    private readonly onSilence: () => void,
  ) {}

  start(): void {
    this.pinger = setInterval(this.ping, this.intervalMs);
    this.heard();
  }

  /** Any frame from the server proves the connection alive. */
  heard(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(this.onSilence, 2 * this.intervalMs);
  }

  stop(): void {
    clearInterval(this.pinger);
    clearTimeout(this.watchdog);
  }
}
