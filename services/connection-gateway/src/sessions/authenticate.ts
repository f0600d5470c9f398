import { CloseCode, type ClientFrameOf } from '@chat/contracts';
import { claimedSubject } from '@chat/runtime';
import type { GatewayContext } from '../context';
import { userTopic, type Connection } from './connection';

/** Longest timer Node accepts; a token valid for longer is simply re-checked later. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `authenticate`: the handshake, and later a token refresh for a long-lived connection. The
 * user may not change on a connection; the connection closes when its token expires unrefreshed.
 * All of it is the frame's turn: frames written after it are looked at once it is done, so a
 * client need not wait for `authenticated` before sending them.
 */
export const handleAuthenticate = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'authenticate'>,
): Promise<void> => {
  const verified = await ctx.authenticator.verify(frame.token);
  if (connection.closed) return;
  if (!verified.ok) {
    const user = claimedSubject(frame.token);
    ctx.authFailures.failed(
      user === null ? { type: 'address', id: connection.remoteAddress } : { type: 'user', id: user },
      verified.error.code,
    );
    return ctx.outbox.error(connection, verified.error.code, verified.error.message, 'authenticate');
  }
  const principal = verified.value;
  const previous = connection.principal;
  if (previous && previous.userId !== principal.userId) {
    return ctx.outbox.error(
      connection,
      'already_authenticated',
      'This connection belongs to another user.',
      'authenticate',
    );
  }
  if (!previous) {
    const limit = ctx.settings.websocket.max_connections_per_user;
    if (!(await ctx.registry.acquire(principal.userId, connection.id, limit))) {
      ctx.outbox.error(
        connection,
        'too_many_connections',
        `At most ${limit} connections per user.`,
        'authenticate',
      );
      return ctx.outbox.close(connection, CloseCode.tooManyConnections, 'too many connections');
    }
    if (connection.closed) return void ctx.registry.release(principal.userId, connection.id);
    connection.ws!.subscribe(userTopic(principal.userId));
    const sockets = ctx.usersOnline.get(principal.userId) ?? new Set();
    ctx.usersOnline.set(principal.userId, sockets.add(connection));
  }
  connection.principal = principal;
  ctx.unauthenticated.settled(connection);
  if (!previous) ctx.presence.opened(connection);
  clearTimeout(connection.authDeadline ?? undefined);
  connection.authDeadline = null;
  scheduleExpiry(ctx, connection);
  ctx.outbox.send(connection, {
    type: 'authenticated',
    user_id: principal.userId,
    heartbeat_interval: ctx.settings.websocket.heartbeat_interval,
  });
};

const scheduleExpiry = (ctx: GatewayContext, connection: Connection) => {
  clearTimeout(connection.tokenExpiry ?? undefined);
  const expiresAt = connection.principal?.expiresAt;
  if (!expiresAt) return;
  const delay = Math.min(Math.max(0, expiresAt * 1000 - Date.now()), MAX_TIMER_MS);
  connection.tokenExpiry = setTimeout(() => {
    if (connection.principal && connection.principal.expiresAt! * 1000 > Date.now())
      return scheduleExpiry(ctx, connection);
    ctx.outbox.error(connection, 'token_expired', 'Token expired; reconnect with a fresh one.', null);
    ctx.outbox.close(connection, CloseCode.tokenExpired, 'token expired');
  }, delay);
};

/** Before authentication only `authenticate` and `ping`; closed after `connection_timeout`. */
export const armAuthenticationDeadline = (ctx: GatewayContext, connection: Connection) => {
  connection.authDeadline = setTimeout(() => {
    if (connection.principal) return;
    ctx.outbox.error(connection, 'unauthenticated', 'No authentication within the connection timeout.', null);
    ctx.outbox.close(connection, CloseCode.authenticationTimeout, 'authentication timeout');
  }, ctx.settings.websocket.connection_timeout * 1000);
};

/** Releases what an authenticated connection held; called when it closes. */
export const releaseConnection = async (ctx: GatewayContext, connection: Connection) => {
  clearTimeout(connection.authDeadline ?? undefined);
  clearTimeout(connection.tokenExpiry ?? undefined);
  ctx.unauthenticated.settled(connection);
  const userId = connection.principal?.userId;
  if (!userId) return;
  ctx.presence.closed(connection);
  const sockets = ctx.usersOnline.get(userId);
  sockets?.delete(connection);
  if (sockets?.size === 0) ctx.usersOnline.delete(userId);
  await ctx.registry.release(userId, connection.id);
};
