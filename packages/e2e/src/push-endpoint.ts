import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';

export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** What the endpoint answered. */
  status: number;
}

/** A browser's side of a push subscription: its P-256 key pair and auth secret (RFC 8291). */
export interface BrowserKeys {
  ecdh: ECDH;
  keys: { p256dh: string; auth: string };
}

export const browserKeys = (): BrowserKeys => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    ecdh,
    keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') },
  };
};

/** Decrypts an aes128gcm push body with the subscription's private key and auth secret. */
export const decryptPush = (body: Buffer, browser: BrowserKeys): unknown =>
  JSON.parse(
    decrypt(body, { version: 'aes128gcm', privateKey: browser.ecdh, authSecret: browser.keys.auth }).toString(
      'utf8',
    ),
  );

/**
 * A real HTTP push service (and webhook receiver) on 127.0.0.1: records every request and answers
 * each path with the statuses scripted for it, in turn (then 201).
 */
export class PushEndpoint {
  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly scripts: Map<string, number[]>,
    readonly received: ReceivedPush[],
  ) {}

  static async start(): Promise<PushEndpoint> {
    const scripts = new Map<string, number[]>();
    const received: ReceivedPush[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const status = scripts.get(path)?.shift() ?? 201;
        received.push({ path, headers: request.headers, body: Buffer.concat(chunks), status });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new PushEndpoint(server, `http://127.0.0.1:${port}`, scripts, received);
  }

  /** A fresh path on this endpoint, answering `statuses` in turn (then 201). */
  url(statuses: number[] = []): string {
    const path = `/push/${crypto.randomUUID()}`;
    this.scripts.set(path, [...statuses]);
    return `${this.origin}${path}`;
  }

  to(url: string): ReceivedPush[] {
    const path = new URL(url).pathname;
    return this.received.filter((push) => push.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
