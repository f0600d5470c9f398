import {
  parseClientFrame,
  type ClientFrame,
  type ClientFrameOf,
  type ClientFrameType,
} from '@chat/contracts';
import type { GatewayContext } from '../context';
import { handleSend } from '../messages/send';
import { handleShareFile } from '../messages/share';
import { handleMarkRead } from '../notifications/mark-read';
import { handlePresenceUpdate } from '../presence/presence-update';
import { handleReact } from '../reactions/react';
import { handleTyping } from '../presence/typing';
import { handleJoin, handleLeave } from '../rooms/join';
import { handleAuthenticate } from '../sessions/authenticate';
import type { Connection } from '../sessions/connection';
import type { FrameTurn } from './frame-queue';

type Handler<K extends ClientFrameType> = (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<K>,
  turn: FrameTurn,
) => Promise<void> | void;

const handlers: { [K in ClientFrameType]: Handler<K> } = {
  authenticate: (ctx, connection, frame) => handleAuthenticate(ctx, connection, frame),
  ping: (ctx, connection, frame) =>
    ctx.outbox.send(connection, { type: 'pong', ...(frame.ts === undefined ? {} : { ts: frame.ts }) }),
  join_room: handleJoin,
  leave_room: handleLeave,
  send_message: handleSend,
  presence_update: handlePresenceUpdate,
  typing: handleTyping,
  share_file: handleShareFile,
  mark_read: handleMarkRead,
  react: handleReact,
};

const OPEN_BEFORE_AUTHENTICATION = new Set<ClientFrameType>(['authenticate', 'ping']);

/**
 * One text frame from a client: parse and validate against the contract and apply the
 * per-connection frame limit on arrival; then, in the connection's order (`FrameQueue`), the
 * authentication rule — after any earlier `authenticate` finished — and its handler. Every refusal
 * is an `error` frame; the connection stays usable. A handler that fails, before or after its
 * turn, is answered `internal`.
 */
export const dispatchFrame = (ctx: GatewayContext, connection: Connection, text: string): void => {
  const parsed = parseClientFrame(text);
  ctx.metrics.framesIn.inc({ type: parsed.ok ? parsed.value.type : 'invalid' });
  if (!parsed.ok)
    return ctx.outbox.error(connection, parsed.error.code, parsed.error.message, parsed.error.ref);
  const frame = parsed.value;
  const ref = 'client_msg_id' in frame && frame.client_msg_id ? frame.client_msg_id : frame.type;
  if (!ctx.frameLimiter.tryTake(connection.id)) {
    return ctx.outbox.error(connection, 'rate_limited', 'Too many frames; slow down.', ref);
  }
  const correlationId = crypto.randomUUID();
  const handler = handlers[frame.type] as Handler<ClientFrame['type']>;
  const handled = connection.frames.push(async (endTurn) => {
    if (connection.closed) return;
    if (!connection.principal && !OPEN_BEFORE_AUTHENTICATION.has(frame.type)) {
      return ctx.outbox.error(connection, 'unauthenticated', 'Send "authenticate" first.', ref);
    }
    await handler(ctx, connection, frame as never, { correlationId, end: endTurn });
  });
  handled.catch((error: unknown) => {
    ctx.logger.error(
      { err: error, correlation_id: correlationId, frame_type: frame.type },
      'frame handler failed',
    );
    ctx.outbox.error(connection, 'internal', 'Internal error; nothing was changed, try again.', ref);
  });
};
