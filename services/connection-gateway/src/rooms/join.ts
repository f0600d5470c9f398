import type { ClientFrameOf, RoomResult } from '@chat/contracts';
import { publishCommand } from '../commands/command-publisher';
import type { CommandAnswer } from '../commands/pending-commands';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { Connection } from '../sessions/connection';
import { withinLimit } from '../limits/user-limits';

/** How long a resume may wait for history to catch up before the join is refused. */
const RESUME_DEADLINE_MS = 15_000;

/**
 * `join_room`: the message service decides the join; then the connection gets `room_joined`
 * with the room's newest seq, every message after the client's `last_seq` (resume), and the
 * live stream; the presence service tells the room the joiner's status and the connection the
 * room's. The frame's turn ends once the command is published: a `send_message` written
 * right after it is decided after the join, and answered after `room_joined`.
 */
export const handleJoin = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'join_room'>,
  turn: FrameTurn,
): Promise<void> => {
  if (!(await withinLimit(ctx, connection, 'joins', 'join_room'))) return;
  const roomId = frame.room_id;
  const command = { type: 'JoinRoom' as const, data: { room_id: roomId } };
  const answer = await publishCommand(ctx, connection.principal!, command, crypto.randomUUID(), turn);
  const result = roomResultOf(ctx, connection, answer, 'join_room');
  if (!result || connection.closed) return;
  const head = result.last_seq;
  ctx.outbox.send(connection, { type: 'room_joined', room_id: roomId, last_seq: head });
  ctx.presence.roomJoined(connection, roomId);
  if (connection.rooms.has(roomId) || connection.resumes.has(roomId)) return;

  const asked = Math.min(frame.last_seq ?? head, head);
  const published = ctx.fanout.publishedSeq(roomId);
  // Seconds behind (a reconnect): what it missed is among this gateway's recent frames.
  const lastSeq = asked < published ? (ctx.fanout.replayRecent(connection, roomId, asked) ?? asked) : asked;
  if (lastSeq >= Math.max(head, published)) return ctx.fanout.subscribe(connection, roomId);
  ctx.fanout.beginResume(connection, roomId, lastSeq, head);
  await ctx.resumeQueries.ask(connection, roomId, lastSeq, Date.now() + RESUME_DEADLINE_MS);
};

export const handleLeave = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'leave_room'>,
  turn: FrameTurn,
): Promise<void> => {
  const command = { type: 'LeaveRoom' as const, data: { room_id: frame.room_id } };
  const answer = await publishCommand(ctx, connection.principal!, command, crypto.randomUUID(), turn);
  if (roomResultOf(ctx, connection, answer, 'leave_room')) ctx.fanout.leave(connection, frame.room_id, true);
};

/** The room a join or leave was decided on, or null once the client was told why not. */
const roomResultOf = (
  ctx: GatewayContext,
  connection: Connection,
  outcome: CommandAnswer,
  ref: string,
): RoomResult | null => {
  if (outcome.kind === 'timeout') {
    ctx.outbox.error(connection, 'timeout', 'The message service did not answer in time; try again.', ref);
    return null;
  }
  if (outcome.kind === 'rejected') {
    ctx.outbox.error(connection, outcome.code, outcome.message, ref);
    return null;
  }
  return outcome.result.kind === 'room' ? outcome.result : null;
};
