import {
  openSqliteFile,
  prepareStatements,
  SqliteAppliedRevisions,
  type Statements,
} from '@chat/event-sourcing/sqlite';
import type Database from 'better-sqlite3';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type IndexedHit,
  type IndexedMessage,
  type MessageQuery,
  type SearchChange,
  type SearchIndex,
  type SearchUpdate,
  type SortKey,
} from '../application/search-index';

/**
 * Messages in a plain table, their content in an FTS5 index kept in step by triggers
 * (external content: the text is stored once). The `unicode61` tokenizer with diacritics kept
 * splits and folds case as Elasticsearch's `standard` analyzer with `lowercase` does, which the
 * other adapter must use (see elasticsearch-search-index.ts).
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    sender_id TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT,
    thread_id TEXT
  );
  CREATE INDEX IF NOT EXISTS messages_by_room ON messages (room_id, seq);
  CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
    content, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0'
  );
  CREATE INDEX IF NOT EXISTS messages_by_sender ON messages (sender_id);
  CREATE TABLE IF NOT EXISTS erased_users (user_id TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TRIGGER IF NOT EXISTS messages_added AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
  END;
  CREATE TRIGGER IF NOT EXISTS messages_removed AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
  END;
  CREATE TRIGGER IF NOT EXISTS messages_rewritten AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
  END;
`;

const MESSAGE_COLUMNS =
  'm.message_id, m.room_id, m.seq, m.sender_id, m.content, m.created_at, m.edited_at, m.thread_id';

/**
 * The filters every search applies; the rooms are the membership filter. bm25() is lower for a
 * better match, so relevance sorts it ascending.
 */
const MATCHING = `
  SELECT m.id, ${MESSAGE_COLUMNS}, bm25(messages_fts) AS score
  FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
  WHERE messages_fts MATCH @match
    AND m.room_id IN (SELECT value FROM json_each(@rooms))
    AND (@from_user IS NULL OR m.sender_id = @from_user)
    AND (@before IS NULL OR m.created_at < @before)
    AND (@after IS NULL OR m.created_at > @after)`;

const NEWER_FIRST = `created_at DESC, message_id DESC`;
const AFTER_IN_TIME = `(created_at < @key_at OR (created_at = @key_at AND message_id < @key_id))`;

const QUERIES = {
  recent: `
    WITH hits AS (${MATCHING})
    SELECT * FROM hits WHERE @key_at IS NULL OR ${AFTER_IN_TIME}
    ORDER BY ${NEWER_FIRST} LIMIT @limit`,
  relevance: `
    WITH hits AS (${MATCHING})
    SELECT * FROM hits WHERE @key_score IS NULL OR score > @key_score OR (score = @key_score AND ${AFTER_IN_TIME})
    ORDER BY score ASC, ${NEWER_FIRST} LIMIT @limit`,
  highlight: `
    SELECT highlight(messages_fts, 0, '${HIGHLIGHT_START}', '${HIGHLIGHT_END}') AS marked
    FROM messages_fts WHERE messages_fts MATCH @match AND rowid = @id`,
} as const;

const WRITES = {
  indexMessage: `
    INSERT INTO messages (message_id, room_id, seq, sender_id, content, created_at, edited_at, thread_id)
    SELECT @message_id, @room_id, @seq, @sender_id, @content, @created_at, @edited_at, @thread_id
    WHERE NOT EXISTS (SELECT 1 FROM erased_users WHERE user_id = @sender_id)
    ON CONFLICT (message_id) DO UPDATE SET content = excluded.content, edited_at = excluded.edited_at`,
  editMessage:
    'UPDATE messages SET content = @content, edited_at = @edited_at WHERE message_id = @message_id',
  removeMessage: 'DELETE FROM messages WHERE message_id = @message_id',
  markErased: 'INSERT OR IGNORE INTO erased_users (user_id) VALUES (@user_id)',
  removeMessagesBy: 'DELETE FROM messages WHERE sender_id = @user_id',
  /** Merges the full-text index into one segment, leaving out what was deleted from it. */
  optimize: "INSERT INTO messages_fts (messages_fts) VALUES ('optimize')",
  removeThrough: 'DELETE FROM messages WHERE room_id = @room_id AND seq <= @through_seq',
} as const;

type HitRow = IndexedMessage & { id: number; score: number };

/**
 * The query as FTS5 syntax: every white-space separated word a quoted phrase (so nothing the user
 * types is read as an operator), all required. A word of punctuation only has no token to match
 * and is left out, as the other adapter's analyzer drops it.
 */
const matchExpression = (text: string): string =>
  text
    .split(' ')
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .map((word) => `"${word.replaceAll('"', '""')}"`)
    .join(' ');

/** An index made before threads lacks the column; its messages are no replies, so null is right. */
const addThreadColumn = (db: Database.Database): void => {
  const columns = db.pragma('table_info(messages)') as { name: string }[];
  if (!columns.some((column) => column.name === 'thread_id')) {
    db.exec('ALTER TABLE messages ADD COLUMN thread_id TEXT');
  }
};

/** The embedded search index: one SQLite file with an FTS5 table; a batch is one transaction. */
export class SqliteSearchIndex implements SearchIndex {
  private readonly read: Statements<typeof QUERIES>;
  private readonly write: Statements<typeof WRITES>;
  private readonly revisions: SqliteAppliedRevisions;
  private readonly resetAtomically: () => void;

  private constructor(private readonly db: Database.Database) {
    db.pragma('busy_timeout = 5000');
    // What is deleted or overwritten is zeroed, not left readable in free pages.
    db.pragma('secure_delete = ON');
    db.exec(SCHEMA);
    addThreadColumn(db);
    this.revisions = new SqliteAppliedRevisions(db, 'applied_revisions');
    this.read = prepareStatements(db, QUERIES);
    this.write = prepareStatements(db, WRITES);
    this.resetAtomically = db.transaction(() => {
      // Deleting rows (not dropping tables) keeps other connections' statements valid.
      for (const table of ['messages', 'applied_revisions']) db.exec(`DELETE FROM ${table}`);
    });
  }

  static open(path: string): SqliteSearchIndex {
    return new SqliteSearchIndex(openSqliteFile(path));
  }

  async applyBatch(updates: SearchUpdate[]): Promise<boolean[]> {
    const applied = await this.revisions.applyEach(updates, ({ changes }) => {
      for (const change of changes) this.store(change);
    });
    const purges = (change: SearchChange) =>
      change.kind === 'user_erased' || change.kind === 'room_history_expired';
    if (updates.some(({ changes }) => changes.some(purges))) {
      // Deleted words stay in the full-text segments until a merge, old pages in the WAL until a checkpoint.
      this.write.optimize.run();
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return applied;
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async search(query: MessageQuery): Promise<IndexedHit[]> {
    const match = matchExpression(query.text);
    if (match === '') return [];
    const [keyScore, keyAt, keyId] =
      query.searchAfter === undefined
        ? [null, null, null]
        : query.searchAfter.length === 3
          ? query.searchAfter
          : [null, ...query.searchAfter];
    const rows = this.read[query.order].all({
      match,
      rooms: JSON.stringify(query.rooms),
      from_user: query.fromUser ?? null,
      before: query.before ?? null,
      after: query.after ?? null,
      key_score: keyScore,
      key_at: keyAt,
      key_id: keyId,
      limit: query.limit,
    }) as HitRow[];
    return rows.map(({ id, score, ...message }) => ({
      message,
      marked: (this.read.highlight.get({ match, id }) as { marked: string }).marked,
      sortKey: (query.order === 'recent'
        ? [message.created_at, message.message_id]
        : [score, message.created_at, message.message_id]) as SortKey,
    }));
  }

  async reset(): Promise<void> {
    this.resetAtomically();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private store(change: SearchChange): void {
    switch (change.kind) {
      case 'message_indexed':
        this.write.indexMessage.run(change.message);
        return;
      case 'message_edited': {
        const { message_id, content, edited_at } = change;
        this.write.editMessage.run({ message_id, content, edited_at });
        return;
      }
      case 'message_removed':
        this.write.removeMessage.run({ message_id: change.message_id });
        return;
      case 'user_erased':
        this.write.markErased.run({ user_id: change.user_id });
        this.write.removeMessagesBy.run({ user_id: change.user_id });
        return;
      case 'room_history_expired':
        this.write.removeThrough.run({ room_id: change.room_id, through_seq: change.through_seq });
        return;
    }
  }
}
