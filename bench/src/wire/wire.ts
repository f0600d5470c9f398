import WebSocket from 'ws';

/** A frame of the platform's protocol, as the generator sends and reads them. */
export type Frame = { type: string } & Record<string, unknown>;

export interface WireHandlers {
  /** The socket can take frames (for Socket.IO: the namespace is connected). */
  onOpen(): void;
  onFrame(frame: Frame): void;
  onClose(code: number): void;
  /** A socket error, by errno or a short name (`handshake_timeout`, `http_503`, …). */
  onError(code: string): void;
}

export interface WireSocket {
  send(frame: Frame): void;
  close(): void;
}

/**
 * How the generator talks to one kind of server. Every adapter speaks the platform's frames to
 * the measuring code (`authenticate` → `authenticated`, `join_room` → `room_joined`,
 * `send_message` → `ack` + `message`), so the timing code is the same for every target, and every
 * adapter runs on the same WebSocket client (`ws`), so the client's own cost is the same too.
 */
export interface Wire {
  readonly name: string;
  connect(url: string, localAddress: string, handlers: WireHandlers): WireSocket;
}

/** The short code of a client-side socket error. */
export const errorCode = (error: Error & { code?: string }): string => {
  if (error.code) return error.code;
  if (/handshake has timed out/i.test(error.message)) return 'handshake_timeout';
  const status = /Unexpected server response: (\d+)/.exec(error.message);
  if (status) return `http_${status[1]}`;
  return error.message.slice(0, 40).replace(/\W+/g, '_') || 'error';
};

/** A WebSocket as every adapter opens it: no compression, bound to one loopback source address. */
export const openSocket = (url: string, localAddress: string): WebSocket =>
  new WebSocket(url, {
    perMessageDeflate: false,
    localAddress,
    handshakeTimeout: 30_000,
    skipUTF8Validation: true,
  });

/** The platform's own protocol: JSON text frames as they are (the gateway and the raw uWS baseline). */
export const nativeWire: Wire = {
  name: 'native',
  connect(url, localAddress, handlers) {
    const ws = openSocket(url, localAddress);
    ws.on('open', () => handlers.onOpen());
    ws.on('message', (data) => handlers.onFrame(JSON.parse(String(data)) as Frame));
    ws.on('close', (code) => handlers.onClose(code));
    ws.on('error', (error) => handlers.onError(errorCode(error)));
    return {
      send: (frame) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
      },
      close: () => ws.terminate(),
    };
  },
};
