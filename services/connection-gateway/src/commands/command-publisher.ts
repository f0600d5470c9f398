import { Topics, type CommandRecord, type MessageServiceCommand } from '@chat/contracts';
import { commandContentAad } from '@chat/privacy';
import type { Principal } from '@chat/runtime';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { CommandAnswer, PendingCommands, Timeout } from './pending-commands';

/**
 * Publishes a command another service answers, and resolves with its answer, or with `timeout`
 * once the command timeout passes, whatever the publish is doing: while the broker is away the
 * bus retries for longer than a client should wait. A publish that fails is answered `timeout`
 * at once: it may still have been written, so the client resends with the same id.
 */
export const publishAwaitingAnswer = <Answer extends { kind: string }>(
  ctx: GatewayContext,
  answers: PendingCommands<Answer>,
  ids: { commandId: string; correlationId: string },
  publish: () => Promise<void>,
): Promise<Answer | Timeout> => {
  const answer = answers.wait(ids.commandId);
  publish().catch((error: unknown) => {
    ctx.logger.warn(
      { err: error, command_id: ids.commandId, correlation_id: ids.correlationId },
      'command publish failed',
    );
    answers.settle(ids.commandId, { kind: 'timeout' });
  });
  return answer;
};

/**
 * The command with what the user wrote sealed under their key for the room, bound to the command
 * id: the command topic holds no plaintext. The message service opens it to decide.
 */
const sealed = async (
  ctx: GatewayContext,
  principal: Principal,
  command: MessageServiceCommand,
  commandId: string,
): Promise<MessageServiceCommand> => {
  if (command.type !== 'SendMessage' && command.type !== 'EditMessage') return command;
  const { room_id, content } = command.data;
  const context = { scope: room_id, user_id: principal.userId, at: Date.now() };
  const aad = commandContentAad(room_id, commandId);
  const data = { ...command.data, content: await ctx.cipher.seal(content, context, aad) };
  return { ...command, data } as MessageServiceCommand;
};

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
  const record: CommandRecord = {
    context: {
      command_id: commandId,
      correlation_id: turn.correlationId,
      actor_id: principal.userId,
      actor_is_admin: principal.isAdmin,
      issued_at: new Date().toISOString(),
      reply_to: ctx.instanceId,
    },
    command: await sealed(ctx, principal, command, commandId),
  };
  const answer = publishAwaitingAnswer(
    ctx,
    ctx.pending,
    { commandId, correlationId: turn.correlationId },
    () =>
      ctx.bus.publish(Topics.messageCommands, [
        {
          key: command.data.room_id,
          value: JSON.stringify(record),
          headers: { correlation_id: turn.correlationId },
        },
      ]),
  );
  turn.end();
  return answer;
};
