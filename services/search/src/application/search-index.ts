/**
 * The search index port: the messages as they now read. The projection writes it through
 * `applyBatch`; who may find a message is not the index's business (the room access view gives
 * the rooms of each search). Adapters (SQLite FTS5 embedded, Elasticsearch in the fleet) pass the
 * one conformance suite in `adapters/search-index.conformance.ts`, so they match, rank and
 * highlight alike.
 */
export interface SearchIndex {
  /**
   * Applies what a batch of events changes, with their stream revisions, in order. An event at or
   * below its stream's applied revision (earlier ones of the batch included) was applied before:
   * it is skipped, which makes redelivery harmless. Returns, per update, whether it was applied.
   * One transaction (SQLite) or one bulk request (Elasticsearch) for the whole batch; once it
   * resolves, every change is visible to searches.
   */
  applyBatch(updates: SearchUpdate[]): Promise<boolean[]>;
  /** The stream's newest applied revision, or null before its first event. */
  appliedRevision(stream: string): Promise<number | null>;

  /** One page of the messages matching the query, only ever from `query.rooms`. */
  search(query: MessageQuery): Promise<IndexedHit[]>;

  /**
   * Forgets every message and revision: the first step of a rebuild from the event store. The
   * erased users stay: they come from `user.erasures`, not from the events a rebuild replays.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface StreamRevision {
  stream: string;
  revision: number;
}

/** What one event changes, at its stream revision. */
export interface SearchUpdate {
  at: StreamRevision;
  changes: SearchChange[];
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
  /** On a thread reply: its root. */
  thread_id: string | null;
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
  | { kind: 'message_indexed'; message: IndexedMessage }
  | { kind: 'message_edited'; message_id: string; content: string; edited_at: string }
  | { kind: 'message_removed'; message_id: string }
  /**
   * The user's data was erased: every message they wrote leaves the index, and none of theirs is
   * indexed again (an event still in flight, a rebuild); what remains of the index holds no copy.
   */
  | { kind: 'user_erased'; user_id: string }
  /** The room's messages up to `through_seq` are past its retention: every one is removed. */
  | { kind: 'room_history_expired'; room_id: string; through_seq: number };
