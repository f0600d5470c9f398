import type { Connection } from './connection';

/**
 * The sockets not yet authenticated, per client address: an address holding `limit` of them gets
 * no more until one authenticates or closes, so nobody can hold the gateway's sockets open for
 * `connection_timeout` without a token.
 */
export class UnauthenticatedSockets {
  private readonly byAddress = new Map<string, Set<Connection>>();

  constructor(private readonly limit: number) {}

  /** True when one more socket from `address` may open. */
  admits(address: string): boolean {
    return (this.byAddress.get(address)?.size ?? 0) < this.limit;
  }

  opened(connection: Connection): void {
    const sockets = this.byAddress.get(connection.remoteAddress) ?? new Set();
    this.byAddress.set(connection.remoteAddress, sockets.add(connection));
  }

  /** The socket authenticated or closed; settling it again changes nothing. */
  settled(connection: Connection): void {
    const sockets = this.byAddress.get(connection.remoteAddress);
    sockets?.delete(connection);
    if (sockets?.size === 0) this.byAddress.delete(connection.remoteAddress);
  }
}

/**
 * The client's address: the socket's peer, or — behind a proxy the operator trusts to set it
 * (`websocket.trust_forwarded_for`) — the last address of `X-Forwarded-For`, the one the proxy saw.
 */
export const clientAddressOf = (peer: string, forwardedFor: string, trustForwardedFor: boolean): string => {
  if (!trustForwardedFor || forwardedFor === '') return peer;
  return forwardedFor.split(',').at(-1)!.trim() || peer;
};
