import type { ServerFrame } from '@chat/contracts';
import WebSocket from 'ws';

type Predicate = (frame: ServerFrame) => boolean;

/**
 * A raw WebSocket client for end-to-end tests: it records every frame and lets a test wait for
 * the next one matching a predicate, as a user's own client would see them.
 */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  private readonly waiters: Array<{
    predicate: Predicate;
    from: number;
    resolve: (frame: ServerFrame) => void;
  }> = [];
  closeCode: number | null = null;
  private readonly closed: Promise<number>;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(frame)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(frame);
        }
      }
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  /** With `autoPong: false` the socket leaves the server's pings unanswered: a frozen client. */
  static async open(url: string, options: { autoPong?: boolean } = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, { autoPong: options.autoPong ?? true });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestSocket(ws);
  }

  /** Opens and authenticates; resolves once `authenticated` arrived. */
  static async authenticated(
    url: string,
    token: string,
    options: { autoPong?: boolean } = {},
  ): Promise<TestSocket> {
    const socket = await TestSocket.open(url, options);
    socket.send({ type: 'authenticate', token });
    await socket
      .next((frame) => frame.type === 'authenticated' || frame.type === 'error')
      .then((frame) => {
        if (frame.type !== 'authenticated')
          throw new Error(`authentication refused: ${JSON.stringify(frame)}`);
      });
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The first frame after `from` (default: any not yet seen by a waiter) that matches. */
  next<T extends ServerFrame = ServerFrame>(predicate: Predicate, timeoutMs = 5_000, from = 0): Promise<T> {
    const seen = this.frames.slice(from).find(predicate);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`),
        );
      }, timeoutMs);
      const waiter = {
        predicate,
        from,
        resolve: (frame: ServerFrame) => {
          clearTimeout(timer);
          resolve(frame as T);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits for a frame of `type` that arrives after this call. */
  nextOfType<K extends ServerFrame['type']>(
    type: K,
    timeoutMs?: number,
    filter: (frame: Extract<ServerFrame, { type: K }>) => boolean = () => true,
  ) {
    return this.next<Extract<ServerFrame, { type: K }>>(
      (frame) => frame.type === type && filter(frame as Extract<ServerFrame, { type: K }>),
      timeoutMs,
      this.frames.length,
    );
  }

  ofType<K extends ServerFrame['type']>(type: K): Array<Extract<ServerFrame, { type: K }>> {
    return this.frames.filter((frame): frame is Extract<ServerFrame, { type: K }> => frame.type === type);
  }

  waitForClose(timeoutMs = 5_000): Promise<number> {
    return Promise.race([
      this.closed,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error('socket did not close')), timeoutMs),
      ),
    ]);
  }

  close(): void {
    this.ws.close();
  }
}
