import { Type, type Static } from '@sinclair/typebox';
import { FileId } from '../primitives';

export const FileName = Type.String({
  minLength: 1,
  maxLength: 255,
  description: 'As the uploader named it.',
});
export const FileSize = Type.Integer({ minimum: 0, description: 'In bytes.' });

const FILE_URL = /^\/api\/media\/(file_[A-Za-z0-9_-]{22})$/;

/**
 * The media service's URL of a file, `/api/media/{file_id}`: relative to the platform's origin,
 * where a member GETs a short-lived download link. It is the only `file_url` `share_file` accepts.
 */
export const fileUrlOf = (fileId: string): string => `/api/media/${fileId}`;

/** The file id of a media service URL, or null for any other link. */
export const fileIdOfUrl = (url: string): string | null => FILE_URL.exec(url)?.[1] ?? null;

/** A verified upload as a file message carries it. */
export const FileAttachment = Type.Object({
  file_id: FileId,
  file_name: FileName,
  file_size: FileSize,
  content_type: Type.String({ description: 'The verified type of its content.' }),
  file_url: Type.String({ description: 'GET it (members only) for a download link.' }),
});
export type FileAttachment = Static<typeof FileAttachment>;

/** The upload a `share_file` names, as the client described it. */
export const SharedFileRef = Type.Object({ file_id: FileId, file_name: FileName, file_size: FileSize });
export type SharedFileRef = Static<typeof SharedFileRef>;
