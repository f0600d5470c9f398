import { TYPING_EXPIRES_AFTER_MS, type TypingSignal } from '@chat/contracts';

/**
 * The typing indicators this gateway shows its sockets, one per user and room: `start` when one
 * begins, `stop` when the typer stops or no renewal came for 5 s. Every gateway expires them by
 * itself from the signals it receives, so an indicator never outlives a typer whose client or
 * gateway died, and no other process keeps timers.
 */
export class TypingIndicators {
  private readonly showing = new Map<string, NodeJS.Timeout>();

  constructor(
    /** Shows a start or stop to the room; the signal says who typed, and on which connection. */
    private readonly show: (signal: TypingSignal) => void,
    private readonly expiresAfterMs = TYPING_EXPIRES_AFTER_MS,
  ) {}

  onSignal(signal: TypingSignal): void {
    const key = `${signal.room_id}\n${signal.user_id}`;
    const expiry = this.showing.get(key);
    clearTimeout(expiry);
    if (signal.state === 'stop') {
      if (!expiry) return;
      this.showing.delete(key);
      return this.show(signal);
    }
    if (!expiry) this.show(signal);
    const expire = () => {
      this.showing.delete(key);
      this.show({ ...signal, state: 'stop' });
    };
    this.showing.set(key, setTimeout(expire, this.expiresAfterMs).unref());
  }

  clear(): void {
    for (const expiry of this.showing.values()) clearTimeout(expiry);
    this.showing.clear();
  }
}
