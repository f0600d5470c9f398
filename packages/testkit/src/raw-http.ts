import { connect, type Socket } from 'node:net';

/**
 * Writes a request by hand — its head (lines joined by `\n`, sent as CRLF) and as much of its
 * body as given — and leaves the socket open, like a client that declares a body and trickles it
 * or never sends it. `status` resolves with the status line once the server answers.
 */
export const sendRawRequest = (
  origin: string,
  head: string,
  body = '',
): { socket: Socket; status: Promise<string> } => {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  socket.write(`${head.replaceAll('\n', '\r\n')}${body}`);
  const status = new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) resolve(text.slice(0, text.indexOf('\r\n')));
    });
    socket.on('error', reject);
  });
  return { socket, status };
};
