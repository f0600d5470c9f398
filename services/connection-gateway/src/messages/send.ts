import type { ClientFrameOf } from '@chat/contracts';
import { sendCommandId } from '@chat/event-sourcing';
import { publishCommand } from '../commands/command-publisher';
import { shedIfBehind } from '../commands/load-shedding';
import { withinLimit } from '../limits/user-limits';
import type { CommandAnswer } from '../commands/pending-commands';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { Connection } from '../sessions/connection';

const codePoints = (text: string) => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

/**
 * `send_message`: limits first (cheap, local), then the command to the room's single writer;
 * the sender gets `ack` once the message is stored. The command id derives from the user and
 * the client's `client_msg_id` (`sendCommandId`), so a retried send — over this socket, another
 * or REST — is recognised and answered with the original message. The frame's turn ends once the
 * command is published: the next frame need not wait for this one's ack.
 */
export const handleSend = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'send_message'>,
  turn: FrameTurn,
): Promise<void> => {
  const receivedAt = performance.now();
  const principal = connection.principal!;
  const ref = frame.client_msg_id ?? 'send_message';
  const maxLength = ctx.settings.messages.max_message_length;
  if ((frame.content === undefined) === (frame.mls === undefined)) {
    return ctx.outbox.error(
      connection,
      'invalid_frame',
      'A message carries `content` or `mls`: one of them.',
      ref,
    );
  }
  if (frame.content !== undefined && codePoints(frame.content) > maxLength) {
    return ctx.outbox.error(
      connection,
      'content_too_long',
      `Messages are limited to ${maxLength} characters.`,
      ref,
    );
  }
  if (shedIfBehind(ctx, connection, ref)) return;
  if (!(await withinLimit(ctx, connection, 'messages', ref))) return;
  const commandId = sendCommandId(principal.userId, frame.client_msg_id);
  const command = {
    type: 'SendMessage' as const,
    data: {
      room_id: frame.room_id,
      content: frame.content ?? '',
      message_type: frame.mls === undefined ? ('text' as const) : ('mls' as const),
      client_msg_id: frame.client_msg_id ?? null,
      ...(frame.thread_id === undefined ? {} : { thread_id: frame.thread_id }),
      ...(frame.mls === undefined ? {} : { mls: frame.mls }),
      ...(frame.mls_commit === undefined ? {} : { mls_commit: frame.mls_commit }),
    },
  };
  const answer = await publishCommand(ctx, principal, command, commandId, turn);
  answerSend(ctx, connection, answer, ref, receivedAt);
};

/** Answers a send: `ack` once the message is stored, else why not. */
export const answerSend = (
  ctx: GatewayContext,
  connection: Connection,
  outcome: CommandAnswer,
  ref: string,
  receivedAt: number,
): void => {
  if (outcome.kind === 'timeout') {
    return ctx.outbox.error(
      connection,
      'timeout',
      'Not confirmed in time; resend with the same client_msg_id.',
      ref,
    );
  }
  if (outcome.kind === 'rejected') return ctx.outbox.error(connection, outcome.code, outcome.message, ref);
  if (outcome.result.kind !== 'message_sent') return;
  const { message_id, room_id, seq, created_at, client_msg_id, thread_id } = outcome.result;
  ctx.outbox.send(connection, {
    type: 'ack',
    client_msg_id,
    message_id,
    room_id,
    seq,
    created_at,
    ...(thread_id ? { thread_id } : {}),
  });
  ctx.metrics.ackSeconds.observe((performance.now() - receivedAt) / 1000);
};
