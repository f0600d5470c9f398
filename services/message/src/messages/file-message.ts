import { reject, type FileAttachment, type Rejection, type Result } from '@chat/contracts';
import type { RoomCommandOf } from '../room-command';

const refusal = (code: Rejection['code'], message: string): Result<never, Rejection> => ({
  ok: false,
  error: reject(code, message),
});

/**
 * The file a message carries. A message of type `file` shares a verified upload of this very
 * room, as the media service's events told this service (`context.shared_file`), and exactly as
 * uploaded: its `file_name` and `file_size` must be the upload's. A text message carries none.
 */
export const attachmentOf = ({
  data,
  context,
}: RoomCommandOf<'SendMessage'>): Result<FileAttachment | undefined, Rejection> => {
  if (data.message_type === 'text') {
    return data.file
      ? refusal('invalid_frame', 'A text message shares no file.')
      : { ok: true, value: undefined };
  }
  if (!data.file) return refusal('invalid_frame', 'A file message names the file it shares.');
  const verified = context.shared_file;
  if (!verified || verified.file_id !== data.file.file_id || verified.room_id !== data.room_id) {
    return refusal('file_not_verified', 'No verified upload to this room has that file_url.');
  }
  if (verified.file_name !== data.file.file_name || verified.size !== data.file.file_size) {
    return refusal('invalid_request', 'file_name and file_size must be those of the upload.');
  }
  const { file_id, file_name, size, content_type, file_url } = verified;
  return { ok: true, value: { file_id, file_name, file_size: size, content_type, file_url } };
};
