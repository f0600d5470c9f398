import { Type, type Static, type TObject } from '@sinclair/typebox';
import { FileId, RoomId, Timestamp, UserId } from '../primitives';
import { FileName, FileSize } from './files';

export const FileRejectionReason = Type.Union([
  Type.Literal('size_mismatch'),
  Type.Literal('type_not_allowed'),
  Type.Literal('type_mismatch'),
]);
export type FileRejectionReason = Static<typeof FileRejectionReason>;

/** Domain events of the media service, appended to the stream `file-<file_id>`. */
export const MediaServiceEvents = {
  UploadRequested: Type.Object({
    file_id: FileId,
    room_id: RoomId,
    uploader_id: UserId,
    file_name: FileName,
    content_type: Type.String({ description: 'As declared by the uploader.' }),
    size: FileSize,
    requested_at: Timestamp,
    expires_at: Timestamp,
  }),
  FileVerified: Type.Object(
    {
      file_id: FileId,
      room_id: RoomId,
      uploader_id: UserId,
      file_name: FileName,
      content_type: Type.String(),
      size: FileSize,
      file_url: Type.String(),
      verified_at: Timestamp,
    },
    { description: 'The stored object has the declared size and a content of the declared, allowed type.' },
  ),
  FileRejected: Type.Object(
    {
      file_id: FileId,
      room_id: RoomId,
      reason: FileRejectionReason,
      detail: Type.String(),
      rejected_at: Timestamp,
    },
    { description: 'The stored object failed verification and was deleted.' },
  ),
} satisfies Record<string, TObject>;

export type MediaServiceEventType = keyof typeof MediaServiceEvents;
export type MediaServiceEvent = {
  [K in MediaServiceEventType]: { type: K; data: Static<(typeof MediaServiceEvents)[K]> };
}[MediaServiceEventType];
export type MediaEventOf<K extends MediaServiceEventType> = Extract<MediaServiceEvent, { type: K }>;

export const fileStream = (fileId: string): string => `file-${fileId}`;
export const FileStreamPrefix = 'file-';
