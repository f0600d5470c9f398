import type { ContentFilter, Rejection } from '@chat/contracts';
import type { StoredObject } from './stored-object';

/** The limits an upload is decided under, from the settings. */
export interface UploadLimits {
  max_file_size: number;
  files_per_hour: number;
  upload_url_expiry_seconds: number;
}

/**
 * What the decider knows besides the command: set by the handler when it decides, so the
 * decider stays pure.
 */
interface DecisionContext {
  actor_id: string;
  /** ISO 8601; the time stamped on the events. */
  decided_at: string;
}

export type FileCommand =
  | {
      type: 'RequestUpload';
      data: { file_id: string; room_id: string; file_name: string; content_type: string; size: number };
      context: DecisionContext & {
        /**
         * Why the actor may not use the room — the one rule (`refuseNonMember`), confirmed by the
         * room access view — or null for a member.
         */
        room_refusal: Rejection | null;
        /** Uploads the actor requested in the last hour, this one not included. */
        uploads_in_last_hour: number;
        limits: UploadLimits;
        /** The deployment's content filter (`moderation.*`), which file names pass too. */
        content_filter: ContentFilter;
      };
    }
  | {
      type: 'CompleteUpload';
      data: { file_id: string };
      /** `stored`: the uploaded object as found in blob storage; null when there is none. */
      context: DecisionContext & { stored: StoredObject | null };
    };

export type FileCommandOf<K extends FileCommand['type']> = Extract<FileCommand, { type: K }>;
