import { CloseCode, type ClientFrame, type ServerFrame } from './wire';

/**
 * An event-handler slot. Declared as a method so its parameter is checked bivariantly: the DOM's
 * `WebSocket` and the `ws` package type their events differently, and both must fit.
 */
type Handler<E> = { handle(event: E): void }['handle'];

/** The part of the WebSocket API this client uses: browsers, Node 22+ and the `ws` package provide it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<unknown> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface FrameSocketEvents {
  onOpen(): void;
  onFrame(frame: ServerFrame): void;
  onClose(): void;
}

const OPEN = 1;
const ignore = () => undefined;

/** The server speaks the contract; a frame that is not even a JSON object is skipped, not fatal. */
const parseFrame = (data: unknown): ServerFrame | null => {
  if (typeof data !== 'string') return null;
  try {
    const frame: unknown = JSON.parse(data);
    return typeof frame === 'object' && frame !== null && 'type' in frame ? (frame as ServerFrame) : null;
  } catch {
    return null;
  }
};

/** One WebSocket connection carrying JSON frames. */
export class FrameSocket {
  private readonly ws: WebSocketLike;

  constructor(WebSocketImpl: WebSocketConstructor, url: string, events: FrameSocketEvents) {
    this.ws = new WebSocketImpl(url);
    this.ws.onopen = () => events.onOpen();
    this.ws.onmessage = (event) => {
      const frame = parseFrame(event.data);
      if (frame) events.onFrame(frame);
    };
    this.ws.onclose = () => events.onClose();
    // Every error is followed by a close, handled above. The listener must exist all the same:
    // without one, the `ws` package throws the error as an unhandled 'error' event.
    this.ws.onerror = ignore;
  }

  /** Frames written while the socket is not open are dropped: whatever needs them is re-sent later. */
  send(frame: ClientFrame): void {
    if (this.ws.readyState === OPEN) this.ws.send(JSON.stringify(frame));
  }

  /**
   * Closes without waiting for the closing handshake, which a dead peer never completes: from
   * now on this socket reports nothing.
   */
  abandon(): void {
    this.ws.onopen = this.ws.onmessage = this.ws.onclose = ignore;
    this.ws.close(CloseCode.normal);
  }
}
