import {
  fileUrlOf,
  hasHiddenCharacters,
  refuseBlockedContent,
  reject,
  type Rejection,
  type Result,
} from '@chat/contracts';
import { accept, refuse, type Decider } from '@chat/event-sourcing';
import type { FileCommand, FileCommandOf } from './commands';
import {
  ALLOWED_CONTENT_TYPES,
  essenceOf,
  EXECUTABLE_EXTENSIONS,
  extensionOf,
  EXTENSIONS_OF_TYPE,
} from './content-types';
import { evolve, initialFileState, type FileEvent, type FileState } from './file';
import { rejectionOf, verify } from './verification';

type Decision = Result<FileEvent[], Rejection>;

/**
 * A name is shown to others and sent back in a download's headers: no hidden characters (a
 * right-to-left override makes `photo\u202Egnp.exe` read as `photoexe.png`), no paths.
 */
const refuseFileName = (name: string): Rejection | null => {
  if (hasHiddenCharacters(name) || name.includes('/') || name.includes('\\')) {
    return reject('invalid_request', 'A file name has no control or bidirectional characters, "/" or "\\".');
  }
  return name.trim() === '' ? reject('invalid_request', 'A file name is not blank.') : null;
};

const plusSeconds = (iso: string, seconds: number): string =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** Why an upload may not be granted, or null: who asks, for what, how often. */
const refuseUpload = ({ data, context }: FileCommandOf<'RequestUpload'>): Rejection | null => {
  const { limits } = context;
  if (context.room_refusal) return context.room_refusal;
  const badName =
    refuseFileName(data.file_name) ??
    refuseBlockedContent(data.file_name, context.content_filter, 'The file name');
  if (badName) return badName;
  if (data.size === 0) return reject('invalid_request', 'An empty file cannot be shared.');
  if (data.size > limits.max_file_size) {
    return reject('file_too_large', `Files are limited to ${limits.max_file_size} bytes.`);
  }
  const contentType = essenceOf(data.content_type);
  if (!ALLOWED_CONTENT_TYPES.has(contentType)) {
    return reject('file_type_not_allowed', `Files of type ${contentType} cannot be shared.`);
  }
  const extension = extensionOf(data.file_name);
  if (EXECUTABLE_EXTENSIONS.has(extension)) {
    return reject('file_type_not_allowed', `Files named .${extension} run when opened and cannot be shared.`);
  }
  const extensions = EXTENSIONS_OF_TYPE[contentType]!;
  if (!extensions.includes(extension)) {
    return reject(
      'file_type_mismatch',
      `A file of type ${contentType} is named .${extensions.join(', .')}, not "${data.file_name}".`,
    );
  }
  if (context.uploads_in_last_hour >= limits.files_per_hour) {
    return reject('rate_limited', `At most ${limits.files_per_hour} files may be uploaded per hour.`);
  }
  return null;
};

/**
 * An upload is granted to a member of the room, for a file of an allowed type within the size
 * limit, while the member has uploads left this hour. A repeat of the same request (same file id)
 * decides nothing new.
 */
const requestUpload = (command: FileCommandOf<'RequestUpload'>, state: FileState): Decision => {
  if (state.status !== 'absent') return accept();
  const refusal = refuseUpload(command);
  if (refusal) return refuse(refusal);
  const { data, context } = command;
  return accept({
    type: 'UploadRequested',
    data: {
      file_id: data.file_id,
      room_id: data.room_id,
      uploader_id: context.actor_id,
      file_name: data.file_name,
      content_type: essenceOf(data.content_type),
      size: data.size,
      requested_at: context.decided_at,
      expires_at: plusSeconds(context.decided_at, context.limits.upload_url_expiry_seconds),
    },
  });
};

/**
 * The uploader says the upload is done: the stored object is verified once and for all. A
 * verified file stays verified; a rejected one stays rejected, with the same answer.
 */
const completeUpload = ({ context }: FileCommandOf<'CompleteUpload'>, state: FileState): Decision => {
  if (state.status === 'absent') return refuse(reject('file_not_found', 'File not found.'));
  if (state.uploaderId !== context.actor_id) {
    return refuse(reject('forbidden', 'Only its uploader completes an upload.'));
  }
  if (state.status === 'verified') return accept();
  if (state.status === 'rejected') return refuse(rejectionOf(state.rejection!));
  const { stored } = context;
  if (!stored) {
    return refuse(
      context.decided_at > state.expiresAt
        ? reject('upload_expired', 'The upload URL expired before the file was uploaded; request a new one.')
        : reject('upload_incomplete', 'Nothing was uploaded yet: PUT the file to its upload_url first.'),
    );
  }
  const failed = verify({ size: state.size, contentType: state.contentType }, stored);
  const { fileId: file_id, roomId: room_id } = state;
  if (failed) {
    return accept({
      type: 'FileRejected',
      data: { file_id, room_id, ...failed, rejected_at: context.decided_at },
    });
  }
  return accept({
    type: 'FileVerified',
    data: {
      file_id,
      room_id,
      uploader_id: state.uploaderId,
      file_name: state.fileName,
      content_type: state.contentType,
      size: state.size,
      file_url: fileUrlOf(file_id),
      verified_at: context.decided_at,
    },
  });
};

export const fileDecider: Decider<FileCommand, FileEvent, FileState> = {
  initialState: initialFileState,
  decide: (command, state) =>
    command.type === 'RequestUpload' ? requestUpload(command, state) : completeUpload(command, state),
  evolve,
};
