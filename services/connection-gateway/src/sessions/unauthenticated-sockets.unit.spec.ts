import { describe, expect, it } from 'vitest';
import { newConnection } from './connection';
import { clientAddressOf, UnauthenticatedSockets } from './unauthenticated-sockets';

describe('unauthenticated sockets per address', () => {
  it('admits up to the limit per address, and one more once a socket settles', () => {
    const sockets = new UnauthenticatedSockets(2);
    const [a, b] = [newConnection('a', '10.0.0.1'), newConnection('b', '10.0.0.1')];
    sockets.opened(a);
    sockets.opened(b);
    expect(sockets.admits('10.0.0.1')).toBe(false);
    expect(sockets.admits('10.0.0.2')).toBe(true);
    sockets.settled(a);
    sockets.settled(a);
    expect(sockets.admits('10.0.0.1')).toBe(true);
  });

  it('takes the address the trusted proxy saw, the last X-Forwarded-For entry, only when told to', () => {
    expect(clientAddressOf('10.0.0.9', '1.2.3.4, 5.6.7.8', true)).toBe('5.6.7.8');
    expect(clientAddressOf('10.0.0.9', '1.2.3.4, 5.6.7.8', false)).toBe('10.0.0.9');
    expect(clientAddressOf('10.0.0.9', '', true)).toBe('10.0.0.9');
  });
});
