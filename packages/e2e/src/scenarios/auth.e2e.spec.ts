import { CloseCode } from '@chat/contracts';
import { TestSocket } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('authentication over WebSocket', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      CHAT_WEBSOCKET__CONNECTION_TIMEOUT: '1',
      CHAT_WEBSOCKET__MAX_CONNECTIONS_PER_USER: '2',
    });
  });
  afterAll(() => h.stop());

  it('accepts a good token and answers authenticated with the user id', async () => {
    const socket = await TestSocket.open(h.wsUrl);
    socket.send({ type: 'authenticate', token: await h.token('alice') });
    const frame = await socket.nextOfType('authenticated');
    expect(frame).toEqual({ type: 'authenticated', user_id: 'alice', heartbeat_interval: 30 });
    socket.close();
  });

  it('refuses a token signed with another secret, and the connection stays usable', async () => {
    const socket = await TestSocket.open(h.wsUrl);
    const { signToken } = await import('@chat/runtime');
    socket.send({ type: 'authenticate', token: await signToken('not-the-secret', { userId: 'mallory' }) });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_token', ref: 'authenticate' });
    socket.send({ type: 'authenticate', token: await h.token('mallory') });
    expect(await socket.nextOfType('authenticated')).toMatchObject({ user_id: 'mallory' });
    socket.close();
  });

  it('refuses an expired token with token_expired', async () => {
    const socket = await TestSocket.open(h.wsUrl);
    socket.send({ type: 'authenticate', token: await h.token('bob', { ttlSeconds: -60 }) });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'token_expired' });
    socket.close();
  });

  it('refuses garbage as a token', async () => {
    const socket = await TestSocket.open(h.wsUrl);
    socket.send({ type: 'authenticate', token: 'not.a.jwt' });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_token' });
    socket.close();
  });

  it('accepts only authenticate and ping before authentication', async () => {
    const socket = await TestSocket.open(h.wsUrl);
    socket.send({ type: 'ping', ts: 42 });
    expect(await socket.nextOfType('pong')).toEqual({ type: 'pong', ts: 42 });
    socket.send({ type: 'send_message', room_id: 'general', content: 'hi', client_msg_id: 'c1' });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'unauthenticated', ref: 'c1' });
    socket.send({ type: 'join_room', room_id: 'general' });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'unauthenticated', ref: 'join_room' });
    socket.close();
  });

  it('closes a connection that never authenticates after connection_timeout', async () => {
    const socket = await TestSocket.open(h.wsUrl);
    expect(await socket.waitForClose(4_000)).toBe(CloseCode.authenticationTimeout);
    expect(socket.ofType('error')[0]).toMatchObject({ code: 'unauthenticated' });
  });

  it('closes a connection when its token expires, unless refreshed', async () => {
    const socket = await TestSocket.open(h.wsUrl);
    socket.send({ type: 'authenticate', token: await h.token('carol', { ttlSeconds: 1 }) });
    await socket.nextOfType('authenticated');
    expect(await socket.waitForClose(4_000)).toBe(CloseCode.tokenExpired);
  });

  it('lets a token refresh keep the connection, but not switch users', async () => {
    const socket = await TestSocket.open(h.wsUrl);
    socket.send({ type: 'authenticate', token: await h.token('dave', { ttlSeconds: 1 }) });
    await socket.nextOfType('authenticated');
    socket.send({ type: 'authenticate', token: await h.token('dave', { ttlSeconds: 60 }) });
    await socket.nextOfType('authenticated');
    socket.send({ type: 'authenticate', token: await h.token('eve') });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'already_authenticated' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(socket.closeCode).toBeNull();
    socket.close();
  });

  it('enforces max_connections_per_user', async () => {
    const first = await h.connect('frank');
    const second = await h.connect('frank');
    const third = await TestSocket.open(h.wsUrl);
    third.send({ type: 'authenticate', token: await h.token('frank') });
    expect(await third.nextOfType('error')).toMatchObject({ code: 'too_many_connections' });
    expect(await third.waitForClose()).toBe(CloseCode.tooManyConnections);
    first.close();
    await first.waitForClose();
    const again = await h.connect('frank');
    again.close();
    second.close();
  });
});
