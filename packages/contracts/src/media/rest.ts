import { Type, type Static } from '@sinclair/typebox';
import { FileId, RoomId, Timestamp } from '../primitives';
import { FileName, FileSize } from './files';

/** Shapes of the media service's REST API. */
export const UploadRequestBody = Type.Object({
  room_id: RoomId,
  file_name: FileName,
  content_type: Type.String({ minLength: 1, maxLength: 255, description: 'e.g. `image/png`.' }),
  size: FileSize,
});
export type UploadRequestBody = Static<typeof UploadRequestBody>;

export const UploadTicket = Type.Object({
  file_id: FileId,
  upload_url: Type.String({
    description:
      'PUT the bytes here (exactly `size` of them) before `expires_at`. May be relative to the platform origin.',
  }),
  file_url: Type.String({ description: 'The file once verified: what `share_file` takes.' }),
  expires_at: Timestamp,
});
export type UploadTicket = Static<typeof UploadTicket>;

export const FileParams = Type.Object({ file_id: FileId });

export const VerifiedFile = Type.Object({
  file_id: FileId,
  room_id: RoomId,
  file_name: FileName,
  content_type: Type.String(),
  size: FileSize,
  file_url: Type.String(),
});
export type VerifiedFile = Static<typeof VerifiedFile>;

export const FileDownload = Type.Object({
  file_id: FileId,
  download_url: Type.String({ description: 'Short-lived; may be relative to the platform origin.' }),
  file_name: FileName,
  content_type: Type.String(),
  size: FileSize,
  expires_at: Timestamp,
});
export type FileDownload = Static<typeof FileDownload>;
