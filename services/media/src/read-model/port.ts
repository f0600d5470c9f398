/**
 * The media service's own read model: who uploaded what when (from its own events), for the
 * hourly limit. Who may use a room is not here: the room access view (`@chat/room-access`) says.
 * Adapters (SQLite embedded, MongoDB in the fleet) pass the one suite in `conformance.ts`.
 */
export interface MediaReadModel {
  /**
   * Applies what a batch of events changes, with their stream revisions, in order. An event at or
   * below its stream's applied revision (earlier ones of the batch included) was applied before:
   * it is skipped, which makes redelivery harmless. Returns, per update, whether it was applied.
   * One transaction (SQLite) or a few bulk writes (MongoDB) for the whole batch.
   */
  applyBatch(updates: MediaReadModelUpdate[]): Promise<boolean[]>;
  /** The stream's newest applied revision, or null before its first event. */
  appliedRevision(stream: string): Promise<number | null>;
  /** How many uploads the user requested since the time. */
  countUploadsSince(uploaderId: string, since: Date): Promise<number>;
  /** The file ids of every upload the user requested (and not erased). */
  uploadsBy(uploaderId: string): Promise<string[]>;
  /** Up to `limit` file ids of the room's uploads requested before the time: past its retention. */
  uploadsInRoomBefore(roomId: string, before: Date, limit: number): Promise<string[]>;
  /** Whether the user's data was erased: their files are gone, and none is served. */
  isErased(userId: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface StreamRevision {
  stream: string;
  revision: number;
}

/** What one event changes, at its stream revision. */
export interface MediaReadModelUpdate {
  at: StreamRevision;
  changes: MediaReadModelChange[];
}

export type MediaReadModelChange =
  | {
      kind: 'upload_requested';
      file_id: string;
      room_id: string;
      uploader_id: string;
      requested_at: string;
    }
  /** The uploads are past their room's retention: their files are deleted, and they are forgotten. */
  | { kind: 'uploads_expired'; file_ids: string[] }
  /** The user's data was erased: their uploads are forgotten, and any later one is not taken in. */
  | { kind: 'user_erased'; user_id: string };
