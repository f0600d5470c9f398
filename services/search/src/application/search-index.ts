/**
 * The search index port: the messages as they now read, and who may find them. The projection
 * writes it through `apply`; adapters (SQLite FTS5 embedded, Elasticsearch in the fleet) pass the
 * one conformance suite in `adapters/search-index.conformance.ts`, so they match, rank,
 * highlight and filter alike.
 */
export interface SearchIndex {
  /**
   * Applies what one event (or a run of one stream's events, ending at `at`) changes. Events at or
   * below the stream's applied revision were applied before: they are skipped and false returned,
   * which makes redelivery harmless. Once it resolves, every change is visible to searches.
   */
  apply(at: StreamRevision, changes: SearchChange[]): Promise<boolean>;
  /** The stream's newest applied revision, or null before its first event. */
  appliedRevision(stream: string): Promise<number | null>;

  /** The rooms the user is a member of now; deleted rooms never. */
  memberRooms(userId: string): Promise<string[]>;
  /** Whether the room exists (not deleted), is private, and has the user as a member; null if not. */
  roomAccess(roomId: string, userId: string): Promise<RoomAccess | null>;
  /** One page of the messages matching the query, only ever from `query.rooms`. */
  search(query: MessageQuery): Promise<IndexedHit[]>;

  /** Forgets everything: the first step of a rebuild from the event store. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface StreamRevision {
  stream: string;
  revision: number;
}

export interface RoomAccess {
  private: boolean;
  member: boolean;
}

/** A message as search sees it: the current content of a message not deleted. */
export interface IndexedMessage {
  message_id: string;
  room_id: string;
  seq: number;
  sender_id: string;
  content: string;
  created_at: string;
  edited_at: string | null;
}

export type SearchOrder = 'recent' | 'relevance';

/**
 * Where a page ends, as the index sorts: `[created_at, message_id]` newest first, or `[score,
 * created_at, message_id]` most relevant first (the score is the adapter's own).
 */
export type SortKey = [string, string] | [number, string, string];

export interface MessageQuery {
  /** Words, all of which a message must contain (any case); the index's analyser splits them. */
  text: string;
  /** Only messages of these rooms: the membership filter. Never empty. */
  rooms: string[];
  fromUser?: string;
  /** Only messages created strictly before / after these times (ISO 8601, UTC). */
  before?: string;
  after?: string;
  order: SearchOrder;
  limit: number;
  /** Only messages sorting after this key: the next page. */
  searchAfter?: SortKey;
}

export interface IndexedHit {
  message: IndexedMessage;
  /** The content with every matched word between HIGHLIGHT_START and HIGHLIGHT_END. */
  marked: string;
  sortKey: SortKey;
}

/**
 * Markers an index puts around matches (Unicode private-use characters, which chat text does
 * not carry); `domain/highlight.ts` turns them into escaped HTML.
 */
export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';

/**
 * The index's write vocabulary. The projection translates events into these, so every adapter
 * stores the same facts and the meaning of an event is decided once.
 */
export type SearchChange =
  | { kind: 'room_saved'; room_id: string; private: boolean }
  /** The room is gone, and with it every membership: its messages are found by no one. */
  | { kind: 'room_deleted'; room_id: string }
  | { kind: 'member_added'; room_id: string; user_id: string }
  | { kind: 'member_removed'; room_id: string; user_id: string }
  | { kind: 'message_indexed'; message: IndexedMessage }
  | { kind: 'message_edited'; message_id: string; content: string; edited_at: string }
  | { kind: 'message_removed'; message_id: string };
