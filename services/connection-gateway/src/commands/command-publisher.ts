import { Topics, type CommandRecord, type MessageServiceCommand } from '@chat/contracts';
import type { Principal } from '@chat/runtime';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { CommandAnswer } from './pending-commands';

/**
 * Publishes a frame's command to the message service, keyed by room id (one writer per room), and
 * ends the frame's turn once the publish is issued: the bus keeps call order per key, so the
 * connection's later commands reach the room after this one. Resolves with the answer.
 *
 * Every command frame waits for its answer here and replies straight after, so replies leave in
 * the order the message service answered: a join's `room_joined` before the `ack` of a send
 * written right after it. An `await` between this and the reply would break that.
 */
export const publishCommand = async (
  ctx: GatewayContext,
  principal: Principal,
  command: MessageServiceCommand,
  commandId: string,
  turn: FrameTurn,
): Promise<CommandAnswer> => {
  const answer = ctx.pending.wait(commandId);
  const record: CommandRecord = {
    context: {
      command_id: commandId,
      correlation_id: turn.correlationId,
      actor_id: principal.userId,
      actor_is_admin: principal.isAdmin,
      issued_at: new Date().toISOString(),
      reply_to: ctx.instanceId,
    },
    command,
  };
  const published = ctx.bus.publish(Topics.messageCommands, [
    {
      key: command.data.room_id,
      value: JSON.stringify(record),
      headers: { correlation_id: turn.correlationId },
    },
  ]);
  turn.end();
  await published;
  return answer;
};
