import { fileIdOfUrl, Topics, type ClientFrameOf, type MediaCommandRecord } from '@chat/contracts';
import { sendCommandId } from '@chat/event-sourcing';
import { publishAwaitingAnswer, publishCommand } from '../commands/command-publisher';
import { shedIfBehind } from '../commands/load-shedding';
import { withinLimit } from '../limits/user-limits';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { Connection } from '../sessions/connection';
import { answerSend } from './send';

/**
 * `share_file`: posts a file message naming an upload of the media service. `file_url` must be the
 * `file_url` its upload returned (`/api/media/{file_id}`), never an arbitrary link. The media
 * service first verifies the upload (the uploader's, as `complete` would; anyone else's must be
 * verified already) and answers once `FileVerified` is published, so a refusal comes back at once;
 * then the message service accepts only a verified file of that room, exactly as uploaded, and
 * the sharer gets `ack`, the members a `message` of type `file`. Verification is part of the
 * frame's turn: the connection's later frames reach the room after the share.
 */
export const handleShareFile = async (
  ctx: GatewayContext,
  connection: Connection,
  frame: ClientFrameOf<'share_file'>,
  turn: FrameTurn,
): Promise<void> => {
  const receivedAt = performance.now();
  const principal = connection.principal!;
  const ref = frame.client_msg_id ?? 'share_file';
  if (!ctx.settings.features.file_sharing) {
    return ctx.outbox.error(
      connection,
      'feature_disabled',
      'File sharing is disabled on this deployment.',
      ref,
    );
  }
  const fileId = fileIdOfUrl(frame.file_url);
  if (!fileId) {
    const message = 'file_url must be the file_url of a verified upload (POST /api/media/uploads).';
    return ctx.outbox.error(connection, 'file_not_verified', message, ref);
  }
  if (shedIfBehind(ctx, connection, ref)) return;
  if (!(await withinLimit(ctx, connection, 'messages', ref))) return;
  const verdict = await verifyUpload(ctx, principal.userId, fileId, turn.correlationId);
  if (verdict.kind === 'timeout') {
    return ctx.outbox.error(
      connection,
      'timeout',
      'The media service did not answer in time; try again.',
      ref,
    );
  }
  if (verdict.kind === 'rejected') return ctx.outbox.error(connection, verdict.code, verdict.message, ref);
  const commandId = sendCommandId(principal.userId, frame.client_msg_id);
  const command = {
    type: 'SendMessage' as const,
    data: {
      room_id: frame.room_id,
      content: frame.file_name,
      message_type: 'file' as const,
      client_msg_id: frame.client_msg_id ?? null,
      file: { file_id: fileId, file_name: frame.file_name, file_size: frame.file_size },
    },
  };
  const answer = await publishCommand(ctx, principal, command, commandId, turn);
  answerSend(ctx, connection, answer, ref, receivedAt);
};

/** Asks the media service to verify the upload, keyed by file id; resolves with its verdict. */
const verifyUpload = (ctx: GatewayContext, userId: string, fileId: string, correlationId: string) => {
  const record: MediaCommandRecord = {
    command_id: crypto.randomUUID(),
    correlation_id: correlationId,
    actor_id: userId,
    issued_at: new Date().toISOString(),
    command: { type: 'VerifyUpload', data: { file_id: fileId } },
    reply_to: ctx.instanceId,
  };
  return publishAwaitingAnswer(ctx, ctx.verifications, { commandId: record.command_id, correlationId }, () =>
    ctx.bus.publish(Topics.mediaCommands, [
      { key: fileId, value: JSON.stringify(record), headers: { correlation_id: correlationId } },
    ]),
  );
};
