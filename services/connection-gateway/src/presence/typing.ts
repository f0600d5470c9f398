import {
  TYPING_EXPIRES_AFTER_MS,
  Topics,
  type ClientFrameOf,
  type TypingSignal,
  type TypingState,
} from '@chat/contracts';
import { refuseNonSpeaker } from '@chat/room-access';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { Connection } from '../sessions/connection';

/** A `start` while the indicator shows is passed on at most this often (per room and connection). */
export const TYPING_RENEWAL_MS = 1_000;

/**
 * Whether a typing frame needs a signal. A `start` does unless one went out for the room less than
 * a second ago — the indicator still shows, and clients may send one per keystroke. A `stop` does
 * only while an indicator shows.
 */
export const typingSignalDue = (
  lastStartAt: number | undefined,
  state: TypingState,
  now: number,
): boolean => {
  const showing = lastStartAt !== undefined && now - lastStartAt < TYPING_EXPIRES_AFTER_MS;
  if (state === 'stop') return showing;
  return !showing || now - lastStartAt >= TYPING_RENEWAL_MS;
};

/**
 * `typing`: for a member not muted, in a room joined on this connection (the shared access rule, on this
 * gateway's view of `room.access`). Published on `presence.typing` for every gateway to show
 * (never stored); the user's signals beyond a generous budget are refused.
 */
export const handleTyping = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'typing'>,
  turn: FrameTurn,
): Promise<void> => {
  const { room_id, state } = frame;
  if (!connection.rooms.has(room_id) && !connection.resumes.has(room_id)) {
    return ctx.outbox.error(
      connection,
      'not_member',
      'Join the room on this connection to type in it.',
      'typing',
    );
  }
  const principal = connection.principal!;
  const { refusal } = await ctx.access.decide(room_id, (room) =>
    refuseNonSpeaker(room, { userId: principal.userId, isAdmin: principal.isAdmin }),
  );
  if (refusal) return ctx.outbox.error(connection, refusal.code, refusal.message, 'typing');
  const now = Date.now();
  if (!typingSignalDue(connection.typing.get(room_id), state, now)) return;
  const { userId } = principal;
  if (!ctx.typingLimiter.tryTake(userId)) {
    return ctx.outbox.error(connection, 'rate_limited', 'Too many typing signals; slow down.', 'typing');
  }
  if (state === 'start') connection.typing.set(room_id, now);
  else connection.typing.delete(room_id);
  const signal: TypingSignal = {
    room_id,
    user_id: userId,
    state,
    connection_id: connection.id,
    gateway: ctx.instanceId,
    at: new Date(now).toISOString(),
  };
  const published = ctx.bus.publish(Topics.presenceTyping, [
    { key: room_id, value: JSON.stringify(signal), headers: { correlation_id: turn.correlationId } },
  ]);
  turn.end();
  await published;
};
