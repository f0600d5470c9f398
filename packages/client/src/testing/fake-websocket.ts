import type { ClientFrame, ServerFrame } from '../wire';
import type { WebSocketConstructor, WebSocketLike } from '../frame-socket';

/** One scripted connection: the test plays the server, the client under test holds the other end. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  readonly sent: ClientFrame[] = [];
  closedByClient = false;

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(): void {
    this.readyState = 3;
    this.closedByClient = true;
  }

  sentOfType<K extends ClientFrame['type']>(type: K): Array<Extract<ClientFrame, { type: K }>> {
    return this.sent.filter((frame): frame is Extract<ClientFrame, { type: K }> => frame.type === type);
  }

  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** Accepts the connection and answers its `authenticate`. */
  authenticate(userId = 'alice', heartbeatSeconds = 30): void {
    this.accept();
    this.deliver({ type: 'authenticated', user_id: userId, heartbeat_interval: heartbeatSeconds });
  }

  deliver(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
}

/** A WebSocket class whose every instance is recorded, newest last. */
export const fakeWebSocket = () => {
  const sockets: FakeSocket[] = [];
  const WebSocket: WebSocketConstructor = class extends FakeSocket {
    constructor(readonly url: string) {
      super();
      sockets.push(this);
    }
  };
  const latest = (): FakeSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  };
  return { WebSocket, sockets, latest };
};
