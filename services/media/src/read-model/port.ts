import type { RoomAccess } from '../access/room-access';

/**
 * The media service's own read model: who belongs to which room (projected from the message
 * service's events) and who uploaded what when (from its own), for access and the hourly limit.
 * Adapters (SQLite embedded, MongoDB in the fleet) pass the one suite in `conformance.ts`.
 */
export interface MediaReadModel {
  /**
   * Applies what one event changes, together with its stream revision. An event at or below the
   * stream's applied revision was applied before: it is ignored and false returned.
   */
  apply(at: StreamRevision, changes: MediaReadModelChange[]): Promise<boolean>;
  /** The stream's newest applied revision, or null before its first event. */
  appliedRevision(stream: string): Promise<number | null>;
  /** The user in the room; null when the room does not exist or was deleted. */
  roomAccess(roomId: string, userId: string): Promise<RoomAccess | null>;
  /** How many uploads the user requested since the time. */
  countUploadsSince(uploaderId: string, since: Date): Promise<number>;
  close(): Promise<void>;
}

export interface StreamRevision {
  stream: string;
  revision: number;
}

export type MediaReadModelChange =
  | { kind: 'room_created'; room_id: string; private: boolean }
  | { kind: 'room_updated'; room_id: string; private: boolean }
  | { kind: 'room_deleted'; room_id: string }
  | { kind: 'member_added'; room_id: string; user_id: string }
  | { kind: 'member_removed'; room_id: string; user_id: string }
  | { kind: 'upload_requested'; file_id: string; uploader_id: string; requested_at: string };
