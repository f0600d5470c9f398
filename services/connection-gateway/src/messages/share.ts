import { fileIdOfUrl, type ClientFrameOf } from '@chat/contracts';
import { sendCommandId } from '@chat/event-sourcing';
import { publishCommand } from '../commands/command-publisher';
import type { GatewayContext } from '../context';
import type { FrameTurn } from '../server/frame-queue';
import type { Connection } from '../sessions/connection';
import { answerSend } from './send';

/**
 * `share_file`: posts a file message naming a verified upload of the media service. `file_url`
 * must be the `file_url` its upload returned (`/api/media/{file_id}`), never an arbitrary link;
 * the message service accepts only a verified file of that room, exactly as uploaded. The sharer
 * gets `ack`, the members a `message` of type `file`. No retries are needed for a file verified a
 * moment ago: the media service answers `complete` once `FileVerified` is published, and the
 * message service catches its view of verified files up before it refuses one it does not know.
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
  if (!ctx.messageLimiter.tryTake(principal.userId)) {
    const perMinute = ctx.settings.rate_limiting.messages_per_minute;
    return ctx.outbox.error(connection, 'rate_limited', `At most ${perMinute} messages per minute.`, ref);
  }
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
