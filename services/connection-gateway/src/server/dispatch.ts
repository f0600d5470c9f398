import {
  CloseCode,
  parseClientFrame,
  reject,
  type Rejection,
  type ClientFrame,
  type ClientFrameOf,
  type ClientFrameType,
} from '@chat/contracts';
import { ROOT_TRACE_CONTEXT, SpanKind, startSpan, withSpan } from '@chat/bus';
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
 * Frames refused in a row — over the frame budget, binary, too large, malformed — after which the
 * connection is closed: a client that keeps sending them is broken or hostile, and answering each
 * would be a flood of replies.
 */
export const MAX_REFUSED_FRAMES_IN_A_ROW = 10;

/** Answers a refused frame, or closes the connection once too many were refused in a row. */
const refuse = (
  ctx: GatewayContext,
  connection: Connection,
  refusal: Rejection,
  ref: string | null,
  type = 'unknown',
) => {
  ctx.metrics.framesHandled.inc({ type, result: refusal.code });
  connection.refusedInARow += 1;
  ctx.outbox.error(connection, refusal.code, refusal.message, ref);
  if (connection.refusedInARow >= MAX_REFUSED_FRAMES_IN_A_ROW) {
    ctx.outbox.close(connection, CloseCode.tooManyRefusedFrames, 'too many refused frames');
  }
};

/**
 * One frame from a client. The per-connection frame budget comes first, before the frame is even
 * read, so no kind of frame escapes it; then it must be text within `max_frame_bytes`, and parse
 * and validate against the contract. Then, in the connection's order (`FrameQueue`), the
 * authentication rule — after any earlier `authenticate` finished — and its handler. Every
 * refusal is an `error` frame and the connection stays usable, unless
 * `MAX_REFUSED_FRAMES_IN_A_ROW` were refused in a row. A handler that fails, before or after its
 * turn, is answered `internal`.
 */
export const receiveFrame = (
  ctx: GatewayContext,
  connection: Connection,
  data: ArrayBuffer,
  isBinary: boolean,
): void => {
  if (connection.closed) return;
  if (!ctx.frameLimiter.tryTake(connection.id)) {
    return refuse(ctx, connection, reject('rate_limited', 'Too many frames; slow down.'), null);
  }
  if (isBinary) return refuse(ctx, connection, reject('invalid_frame', 'Frames must be JSON text.'), null);
  const limit = ctx.settings.websocket.max_frame_bytes;
  if (data.byteLength > limit) {
    return refuse(ctx, connection, reject('frame_too_large', `Frames are limited to ${limit} bytes.`), null);
  }
  const parsed = parseClientFrame(Buffer.from(data).toString('utf8'));
  ctx.metrics.framesIn.inc({ type: parsed.ok ? parsed.value.type : 'invalid' });
  if (!parsed.ok) return refuse(ctx, connection, parsed.error, parsed.error.ref, 'invalid');
  connection.refusedInARow = 0;
  const frame = parsed.value;
  const ref = 'client_msg_id' in frame && frame.client_msg_id ? frame.client_msg_id : frame.type;
  const correlationId = crypto.randomUUID();
  const handler = handlers[frame.type] as Handler<ClientFrame['type']>;
  // uWebSockets.js is not node:http: the frame's span, the root of its trace, is made here.
  const span = startSpan(
    `ws ${frame.type}`,
    {
      'chat.frame.type': frame.type,
      'chat.correlation_id': correlationId,
      ...('client_msg_id' in frame && frame.client_msg_id
        ? { 'chat.client_msg_id': frame.client_msg_id }
        : {}),
    },
    ROOT_TRACE_CONTEXT,
    SpanKind.SERVER,
  );
  const handled = connection.frames.push((endTurn) =>
    withSpan(span, async () => {
      if (connection.closed) return;
      if (!connection.principal && !OPEN_BEFORE_AUTHENTICATION.has(frame.type)) {
        ctx.metrics.framesHandled.inc({ type: frame.type, result: 'unauthenticated' });
        return ctx.outbox.error(connection, 'unauthenticated', 'Send "authenticate" first.', ref);
      }
      await handler(ctx, connection, frame as never, { correlationId, end: endTurn });
      ctx.metrics.framesHandled.inc({ type: frame.type, result: 'ok' });
    }),
  );
  handled.catch((error: unknown) => {
    ctx.metrics.framesHandled.inc({ type: frame.type, result: 'failed' });
    ctx.logger.error(
      { err: error, correlation_id: correlationId, frame_type: frame.type },
      'frame handler failed',
    );
    ctx.outbox.error(connection, 'internal', 'Internal error; nothing was changed, try again.', ref);
  });
};
