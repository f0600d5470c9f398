import type { ErrorCounts } from '../measure/counters';
import type { Frame, Wire, WireSocket } from '../wire/wire';

interface Waiter {
  accepts: (frame: Frame) => boolean;
  resolve: (frame: Frame) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** A setup step refused by the server or the network, by its code. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * One simulated user on one connection. Setup (authenticate, join) waits for frames; during a
 * measured phase every frame goes to `onFrame` with its arrival time, and nothing else runs.
 */
export class BenchClient {
  socket!: WireSocket;
  /** performance.now() when the WebSocket opened, and when `authenticated` arrived. */
  openedAt = 0;
  authenticatedAt = 0;
  closed = false;
  closeCode = 0;
  onFrame: ((frame: Frame, now: number) => void) | null = null;
  /** Called once when the connection drops (not when `close` was asked for). */
  onDrop: (() => void) | null = null;
  private waiters: Waiter[] = [];
  private closing = false;

  constructor(
    readonly index: number,
    readonly userId: string,
    private readonly errors: ErrorCounts,
  ) {}

  /**
   * Opens a connection from `localAddress` and authenticates; resolves once `authenticated`
   * arrives, rejects with the first error (socket error, close, error frame) or on timeout.
   */
  start(wire: Wire, url: string, localAddress: string, token: string, timeoutMs: number): Promise<void> {
    const authenticated = this.expect('authenticated', () => true, timeoutMs);
    this.socket = wire.connect(url, localAddress, {
      onOpen: () => {
        this.openedAt = performance.now();
        this.socket.send({ type: 'authenticate', token });
      },
      onFrame: (frame) => this.receive(frame),
      onClose: (code) => {
        this.closed = true;
        this.closeCode = code;
        if (!this.closing) this.errors.add(`close_${code}`);
        this.failAll(new ClientError(`close_${code}`));
        if (!this.closing) this.onDrop?.();
      },
      onError: (code) => {
        this.errors.add(code);
        this.failAll(new ClientError(code));
      },
    });
    return authenticated.then(() => {
      this.authenticatedAt = performance.now();
    });
  }

  /**
   * Joins a room and waits for `room_joined` (its newest seq); with `lastSeq`, the messages after
   * it follow (resume).
   */
  async join(roomId: string, timeoutMs = 30_000, lastSeq?: number): Promise<number> {
    const joined = this.expect('room_joined', (frame) => frame.room_id === roomId, timeoutMs);
    this.socket.send({
      type: 'join_room',
      room_id: roomId,
      ...(lastSeq === undefined ? {} : { last_seq: lastSeq }),
    });
    return Number((await joined).last_seq);
  }

  send(frame: Frame): void {
    this.socket.send(frame);
  }

  close(): void {
    if (this.closed) return;
    this.closing = true;
    this.socket?.close();
  }

  private expect(type: string, accepts: (frame: Frame) => boolean, timeoutMs: number): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        accepts: (frame) => frame.type === type && accepts(frame),
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((each) => each !== waiter);
          this.errors.add(`${type}_timeout`);
          reject(new ClientError(`${type}_timeout`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private receive(frame: Frame): void {
    const now = performance.now();
    if (this.waiters.length > 0) {
      const waiter = this.waiters.find((each) => each.accepts(frame));
      if (waiter) {
        this.settle(waiter);
        return waiter.resolve(frame);
      }
      if (frame.type === 'error') {
        const code = String(frame.code);
        this.errors.add(code);
        const first = this.waiters[0]!;
        this.settle(first);
        return first.reject(new ClientError(code));
      }
    }
    this.onFrame?.(frame, now);
  }

  private settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.waiters = this.waiters.filter((each) => each !== waiter);
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters = [];
  }
}
