import type { ClientFrameOf, RoomResult } from '@chat/contracts';
import { publishCommand } from '../commands/command-publisher';
import type { GatewayContext } from '../context';
import type { Connection } from '../sessions/connection';

/** How long a resume may wait for history to catch up before the join is refused. */
const RESUME_DEADLINE_MS = 15_000;

/**
 * `join_room`: the message service decides the join; then the connection gets `room_joined`
 * with the room's newest seq, every message after the client's `last_seq` (resume), and the
 * live stream.
 */
export const handleJoin = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'join_room'>,
  correlationId: string,
): Promise<void> => {
  const roomId = frame.room_id;
  const result = await runRoomCommand(
    ctx,
    connection,
    { type: 'JoinRoom', data: { room_id: roomId } },
    correlationId,
    'join_room',
  );
  if (!result || connection.closed) return;
  const head = result.last_seq;
  ctx.outbox.send(connection, { type: 'room_joined', room_id: roomId, last_seq: head });
  if (connection.rooms.has(roomId) || connection.resumes.has(roomId)) return;

  const lastSeq = Math.min(frame.last_seq ?? head, head);
  if (lastSeq >= Math.max(head, ctx.fanout.publishedSeq(roomId)))
    return ctx.fanout.subscribe(connection, roomId);
  ctx.fanout.beginResume(connection, roomId, lastSeq, head);
  await ctx.resumeQueries.ask(connection, roomId, lastSeq, Date.now() + RESUME_DEADLINE_MS);
};

export const handleLeave = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'leave_room'>,
  correlationId: string,
): Promise<void> => {
  const command = { type: 'LeaveRoom' as const, data: { room_id: frame.room_id } };
  const result = await runRoomCommand(ctx, connection, command, correlationId, 'leave_room');
  if (result) ctx.fanout.leave(connection, frame.room_id, true);
};

const runRoomCommand = async (
  ctx: GatewayContext,
  connection: Connection,
  command: { type: 'JoinRoom' | 'LeaveRoom'; data: { room_id: string } },
  correlationId: string,
  ref: string,
): Promise<RoomResult | null> => {
  const commandId = crypto.randomUUID();
  const answer = ctx.pending.wait(commandId);
  await publishCommand(ctx.bus, ctx.instanceId, connection.principal!, command, { commandId, correlationId });
  const outcome = await answer;
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
