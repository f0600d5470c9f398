import type { FileRejectionReason, MediaServiceEvent } from '@chat/contracts';

export type FileEvent = MediaServiceEvent;

/** One file as its stream `file-<id>` tells it. */
export interface FileState {
  status: 'absent' | 'requested' | 'verified' | 'rejected';
  fileId: string;
  roomId: string;
  uploaderId: string;
  fileName: string;
  /** The declared type; once verified, also the type of the content. */
  contentType: string;
  size: number;
  /** Until when the upload URL takes the file. */
  expiresAt: string;
  rejection: { reason: FileRejectionReason; detail: string } | null;
}

export const initialFileState: FileState = {
  status: 'absent',
  fileId: '',
  roomId: '',
  uploaderId: '',
  fileName: '',
  contentType: '',
  size: 0,
  expiresAt: '',
  rejection: null,
};

export const evolve = (state: FileState, event: FileEvent): FileState => {
  switch (event.type) {
    case 'UploadRequested': {
      const { file_id, room_id, uploader_id, file_name, content_type, size, expires_at } = event.data;
      return {
        ...state,
        status: 'requested',
        fileId: file_id,
        roomId: room_id,
        uploaderId: uploader_id,
        fileName: file_name,
        contentType: content_type,
        size,
        expiresAt: expires_at,
      };
    }
    case 'FileVerified':
      return { ...state, status: 'verified' };
    case 'FileRejected':
      return {
        ...state,
        status: 'rejected',
        rejection: { reason: event.data.reason, detail: event.data.detail },
      };
    default:
      // An event type this version does not know yet changes nothing it decides on.
      return state;
  }
};
