/**
 * The SQLite read model's schema and statements, apart from the adapter so a test can check that
 * every read is answered from an index (EXPLAIN QUERY PLAN).
 */
export const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rooms (
    room_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    private INTEGER NOT NULL,
    owner_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    member_count INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL DEFAULT 'group',
    members TEXT,
    encryption TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS rooms_listed ON rooms (private, deleted, created_at);
  CREATE INDEX IF NOT EXISTS rooms_by_owner ON rooms (owner_id, created_at);

  CREATE TABLE IF NOT EXISTS members (
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    PRIMARY KEY (room_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS members_by_user ON members (user_id, room_id);

  CREATE TABLE IF NOT EXISTS messages (
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    content TEXT NOT NULL,
    message_type TEXT NOT NULL,
    client_msg_id TEXT,
    created_at TEXT NOT NULL,
    file TEXT,
    edited_at TEXT,
    deleted_at TEXT,
    thread_id TEXT,
    thread TEXT,
    mentions TEXT,
    mls TEXT,
    PRIMARY KEY (room_id, seq)
  );
  CREATE INDEX IF NOT EXISTS messages_by_time ON messages (room_id, created_at, seq);

  CREATE TABLE IF NOT EXISTS reactions (
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    emoji TEXT NOT NULL,
    user_id TEXT NOT NULL,
    reacted_at TEXT NOT NULL,
    PRIMARY KEY (room_id, seq, emoji, user_id)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS verified_files (
    file_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    file_url TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS mentions (
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, created_at, room_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS mentions_by_message ON mentions (room_id, seq);

  CREATE TABLE IF NOT EXISTS receipts (
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (room_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS receipts_by_user ON receipts (user_id, room_id);

  CREATE TABLE IF NOT EXISTS push_subscriptions (
    user_id TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    subscribed_at TEXT NOT NULL,
    PRIMARY KEY (user_id, subscription_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS webhooks (user_id TEXT PRIMARY KEY, url TEXT NOT NULL, registered_at TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS mutes (
    user_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    muted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, room_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS last_seen (user_id TEXT PRIMARY KEY, last_seen TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS erased_users (
    user_id TEXT PRIMARY KEY,
    erased_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS mls_welcomes (
    user_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    welcome TEXT NOT NULL,
    PRIMARY KEY (user_id, room_id, seq)
  ) WITHOUT ROWID;
`;

// Named explicitly: the ORDER BY of a UNION refers to result columns by name.
const ROOM_COLUMNS = [
  'room_id',
  'name',
  'private',
  'owner_id',
  'member_count',
  'last_seq',
  'created_at',
  'kind',
  'members',
  'retention_days',
  'encryption',
]
  .map((column) => `r.${column} AS ${column}`)
  .concat('m.role AS role')
  .join(', ');
/**
 * `file`: a file message's attachment, as JSON; `mentions`: the mentioned user ids, as JSON; `mls`:
 * an encrypted room's MLS message, base64.
 */
const MESSAGE_COLUMNS =
  'room_id, seq, message_id, sender_id, content, message_type, client_msg_id, created_at, file, thread_id, mentions, mls';
/** What a read returns: the stored columns and the later changes (null until they happen). */
const HISTORY_COLUMNS = `${MESSAGE_COLUMNS}, edited_at, deleted_at, thread, erased, expired`;

/** Columns added after the first release, with their definitions: files made before lack them. */
export const ADDED_COLUMNS = {
  messages: {
    file: 'TEXT',
    edited_at: 'TEXT',
    deleted_at: 'TEXT',
    thread_id: 'TEXT',
    thread: 'TEXT',
    mentions: 'TEXT',
    erased: 'INTEGER',
    expired: 'INTEGER NOT NULL DEFAULT 0',
    mls: 'TEXT',
  },
  verified_files: { uploader_id: 'TEXT', verified_at: 'TEXT' },
  rooms: {
    kind: "TEXT NOT NULL DEFAULT 'group'",
    members: 'TEXT',
    retention_days: 'REAL',
    expired_through_seq: 'INTEGER NOT NULL DEFAULT 0',
    encryption: 'TEXT',
  },
} as const;

/** Created after the added columns, which an older file gains only once the schema ran. */
export const ADDED_INDEXES = `
  CREATE INDEX IF NOT EXISTS messages_by_thread ON messages (room_id, thread_id, seq) WHERE thread_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS messages_by_sender ON messages (sender_id, room_id, seq);
  CREATE INDEX IF NOT EXISTS reactions_by_user ON reactions (user_id, room_id, seq);
  CREATE INDEX IF NOT EXISTS verified_files_by_uploader ON verified_files (uploader_id, file_id);
`;

/** Reads, with named parameters. */
export const QUERIES = {
  findRoom: `
    SELECT ${ROOM_COLUMNS} FROM rooms r
    LEFT JOIN members m ON m.room_id = r.room_id AND m.user_id = @user_id
    WHERE r.room_id = @room_id AND r.deleted = 0`,
  // Two indexed halves instead of one OR, which would scan every room. The private half starts
  // from the user's memberships (CROSS JOIN fixes SQLite's join order), not from every private room.
  listRoomsVisibleTo: `
    SELECT ${ROOM_COLUMNS} FROM rooms r
    LEFT JOIN members m ON m.room_id = r.room_id AND m.user_id = @user_id
    WHERE r.private = 0 AND r.deleted = 0
    UNION ALL
    SELECT ${ROOM_COLUMNS} FROM members m
    CROSS JOIN rooms r ON r.room_id = m.room_id
    WHERE m.user_id = @user_id AND r.private = 1 AND r.deleted = 0
    ORDER BY created_at, room_id`,
  listMembers: 'SELECT user_id, role, joined_at FROM members WHERE room_id = @room_id ORDER BY user_id',
  countRoomsCreatedBy:
    'SELECT count(*) AS count FROM rooms WHERE owner_id = @owner_id AND created_at >= @since',
  latestSeq: 'SELECT last_seq FROM rooms WHERE room_id = @room_id',
  /** The newest message created before a time: turns a time bound into a seq bound. */
  lastSeqBefore: `
    SELECT seq FROM messages WHERE room_id = @room_id AND created_at < @before
    ORDER BY created_at DESC, seq DESC LIMIT 1`,
  /** Every room, deleted ones too (their history still holds content), in room id order. */
  listRoomRetention: `
    SELECT room_id, retention_days, expired_through_seq FROM rooms
    WHERE room_id > @after ORDER BY room_id LIMIT @limit`,
  findVerifiedFile: `
    SELECT file_id, room_id, file_name, content_type, size, file_url FROM verified_files WHERE file_id = @file_id`,
  /** Per message and emoji: how many, whether the viewer is one, and when it was first given. */
  listReactions: `
    SELECT seq, emoji, count(*) AS count, max(user_id = @viewer_id) AS me, min(reacted_at) AS first_at
    FROM reactions
    WHERE room_id = @room_id AND seq BETWEEN @from_seq AND @to_seq
    GROUP BY seq, emoji
    ORDER BY seq, first_at, emoji`,
  newestMessages: `
    SELECT ${HISTORY_COLUMNS} FROM messages
    WHERE room_id = @room_id AND seq > @after_seq AND seq < @before_seq
    ORDER BY seq DESC LIMIT @limit`,
  oldestMessages: `
    SELECT ${HISTORY_COLUMNS} FROM messages
    WHERE room_id = @room_id AND seq > @after_seq AND seq < @before_seq
    ORDER BY seq ASC LIMIT @limit`,
  newestReplies: `
    SELECT ${HISTORY_COLUMNS} FROM messages
    WHERE room_id = @room_id AND thread_id = @thread_id AND seq > @after_seq AND seq < @before_seq
    ORDER BY seq DESC LIMIT @limit`,
  oldestReplies: `
    SELECT ${HISTORY_COLUMNS} FROM messages
    WHERE room_id = @room_id AND thread_id = @thread_id AND seq > @after_seq AND seq < @before_seq
    ORDER BY seq ASC LIMIT @limit`,
  /** A user's mentions, newest first, after a position (row values compare in that order). */
  listMentions: `
    SELECT ${HISTORY_COLUMNS.split(', ')
      .map((column) => `msg.${column} AS ${column}`)
      .join(', ')}
    FROM mentions x
    CROSS JOIN messages msg ON msg.room_id = x.room_id AND msg.seq = x.seq
    WHERE x.user_id = @user_id
      AND (x.created_at, x.room_id, x.seq) < (@created_at, @room_id, @seq)
      AND msg.deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM members m WHERE m.room_id = x.room_id AND m.user_id = @user_id)
      AND EXISTS (SELECT 1 FROM rooms r WHERE r.room_id = x.room_id AND r.deleted = 0)
    ORDER BY x.created_at DESC, x.room_id DESC, x.seq DESC
    LIMIT @limit`,
  listReceipts: 'SELECT user_id, seq, read_at FROM receipts WHERE room_id = @room_id ORDER BY user_id',
  isErased: 'SELECT 1 FROM erased_users WHERE user_id = @user_id',
  membershipsOf: `
    SELECT m.room_id AS room_id, r.name AS room_name, m.role AS role, m.joined_at AS joined_at
    FROM members m CROSS JOIN rooms r ON r.room_id = m.room_id
    WHERE m.user_id = @user_id AND m.room_id > @room_id ORDER BY m.room_id LIMIT @limit`,
  // The export's reads, by pages after a position: an open cursor would hold the connection the
  // projection writes on for as long as the client takes to read.
  messagesBy: `
    SELECT ${HISTORY_COLUMNS} FROM messages
    WHERE sender_id = @user_id AND (room_id, seq) > (@room_id, @seq)
    ORDER BY room_id, seq LIMIT @limit`,
  reactionsBy: `
    SELECT room_id, seq, emoji, reacted_at FROM reactions
    WHERE user_id = @user_id AND (room_id, seq, emoji) > (@room_id, @seq, @emoji)
    ORDER BY room_id, seq, emoji LIMIT @limit`,
  receiptsOf: `
    SELECT room_id, seq, read_at FROM receipts
    WHERE user_id = @user_id AND room_id > @room_id ORDER BY room_id LIMIT @limit`,
  filesBy: `
    SELECT file_id, room_id, file_name, content_type, size, file_url, uploader_id, verified_at
    FROM verified_files WHERE uploader_id = @user_id AND file_id > @file_id ORDER BY file_id LIMIT @limit`,
  pushSubscriptionsOf: `
    SELECT subscription_id, endpoint, subscribed_at FROM push_subscriptions
    WHERE user_id = @user_id ORDER BY subscription_id`,
  webhooksOf: 'SELECT url, registered_at FROM webhooks WHERE user_id = @user_id',
  mutesOf: 'SELECT room_id, muted_at FROM mutes WHERE user_id = @user_id ORDER BY room_id',
  lastSeenOf: 'SELECT last_seen FROM last_seen WHERE user_id = @user_id',
  listWelcomes:
    'SELECT room_id, seq, welcome FROM mls_welcomes WHERE user_id = @user_id ORDER BY room_id, seq',
} as const;

/** Writes of what is personal are skipped for a user already erased. */
const NOT_ERASED = 'NOT EXISTS (SELECT 1 FROM erased_users e WHERE e.user_id = @user_id)';

/** Writes, with named parameters. */
export const WRITES = {
  createRoom: `
    INSERT INTO rooms (room_id, name, private, owner_id, created_at, kind, members, encryption)
    VALUES (@room_id, @name, @private, @owner_id, @created_at, @kind, @members, @encryption)
    ON CONFLICT (room_id) DO UPDATE SET
      name = excluded.name, private = excluded.private, owner_id = excluded.owner_id,
      created_at = excluded.created_at, kind = excluded.kind, members = excluded.members,
      encryption = excluded.encryption`,
  updateRoom: 'UPDATE rooms SET name = @name, private = @private WHERE room_id = @room_id',
  deleteRoom: 'UPDATE rooms SET deleted = 1 WHERE room_id = @room_id',
  addMember: `
    INSERT OR IGNORE INTO members (room_id, user_id, role, joined_at)
    VALUES (@room_id, @user_id, @role, @joined_at)`,
  removeMember: 'DELETE FROM members WHERE room_id = @room_id AND user_id = @user_id',
  changeRole: 'UPDATE members SET role = @role WHERE room_id = @room_id AND user_id = @user_id',
  countMember: 'UPDATE rooms SET member_count = member_count + @delta WHERE room_id = @room_id',
  addMessage: `
    INSERT OR IGNORE INTO messages (${MESSAGE_COLUMNS}, erased)
    VALUES (@room_id, @seq, @message_id, @sender_id, @content, @message_type, @client_msg_id, @created_at, @file,
      @thread_id, @mentions, @mls, @erased)`,
  addVerifiedFile: `
    INSERT OR IGNORE INTO verified_files
      (file_id, room_id, file_name, content_type, size, file_url, uploader_id, verified_at)
    SELECT @file_id, @room_id, @file_name, @content_type, @size, @file_url, @uploader_id, @verified_at
    WHERE NOT EXISTS (SELECT 1 FROM erased_users e WHERE e.user_id = @uploader_id)`,
  advanceLastSeq: 'UPDATE rooms SET last_seq = max(last_seq, @seq) WHERE room_id = @room_id',
  editMessage: `
    UPDATE messages SET content = @content, edited_at = @edited_at
    WHERE room_id = @room_id AND seq = @seq AND erased IS NULL`,
  setRetention: 'UPDATE rooms SET retention_days = @retention_days WHERE room_id = @room_id',
  /** Tombstones, as deletions leave, but marked expired; only rows not expired yet are touched. */
  expireMessages: `
    UPDATE messages SET content = '', file = NULL, mentions = NULL, mls = NULL, expired = 1
    WHERE room_id = @room_id AND seq <= @through_seq AND expired = 0`,
  expireReactions: 'DELETE FROM reactions WHERE room_id = @room_id AND seq <= @through_seq',
  expireMentions: 'DELETE FROM mentions WHERE room_id = @room_id AND seq <= @through_seq',
  advanceExpiry: `
    UPDATE rooms SET expired_through_seq = max(expired_through_seq, @through_seq) WHERE room_id = @room_id`,
  deleteMessage: `
    UPDATE messages SET content = '', file = NULL, mentions = NULL, mls = NULL, deleted_at = @deleted_at
    WHERE room_id = @room_id AND seq = @seq`,
  addReaction: `
    INSERT OR IGNORE INTO reactions (room_id, seq, emoji, user_id, reacted_at)
    SELECT @room_id, @seq, @emoji, @user_id, @reacted_at WHERE ${NOT_ERASED}`,
  removeReaction:
    'DELETE FROM reactions WHERE room_id = @room_id AND seq = @seq AND emoji = @emoji AND user_id = @user_id',
  removeReactionsOf: 'DELETE FROM reactions WHERE room_id = @room_id AND seq = @seq',
  updateThread: 'UPDATE messages SET thread = @thread WHERE room_id = @room_id AND seq = @seq',
  markReceipt: `
    INSERT INTO receipts (room_id, user_id, seq, read_at)
    SELECT @room_id, @user_id, @seq, @read_at WHERE ${NOT_ERASED}
    ON CONFLICT (room_id, user_id) DO UPDATE SET seq = excluded.seq, read_at = excluded.read_at
    WHERE excluded.seq > receipts.seq`,
  addMention: `
    INSERT OR IGNORE INTO mentions (user_id, created_at, room_id, seq)
    VALUES (@user_id, @created_at, @room_id, @seq)`,
  /** A deleted message mentions nobody any more. */
  dropMentions: 'DELETE FROM mentions WHERE room_id = @room_id AND seq = @seq',
  hideReceipts: 'DELETE FROM receipts WHERE user_id = @user_id',
  markErased: 'INSERT OR IGNORE INTO erased_users (user_id, erased_at) VALUES (@user_id, @erased_at)',
  /** What they wrote others had mentioned nobody; their own mention inbox goes too. */
  dropMentionsBy: `
    DELETE FROM mentions WHERE user_id = @user_id OR EXISTS (
      SELECT 1 FROM messages m WHERE m.room_id = mentions.room_id AND m.seq = mentions.seq AND m.sender_id = @user_id)`,
  eraseMessagesBy: `
    UPDATE messages SET content = '', file = NULL, mentions = NULL, mls = NULL, erased = 1 WHERE sender_id = @user_id`,
  dropReactionsBy: 'DELETE FROM reactions WHERE user_id = @user_id',
  dropFilesBy: 'DELETE FROM verified_files WHERE uploader_id = @user_id',
  addPushSubscription: `
    INSERT OR IGNORE INTO push_subscriptions (user_id, subscription_id, endpoint, subscribed_at)
    SELECT @user_id, @subscription_id, @endpoint, @subscribed_at WHERE ${NOT_ERASED}`,
  removePushSubscription:
    'DELETE FROM push_subscriptions WHERE user_id = @user_id AND subscription_id = @subscription_id',
  setWebhook: `
    INSERT INTO webhooks (user_id, url, registered_at) SELECT @user_id, @url, @registered_at WHERE ${NOT_ERASED}
    ON CONFLICT (user_id) DO UPDATE SET url = excluded.url, registered_at = excluded.registered_at`,
  removeWebhook: 'DELETE FROM webhooks WHERE user_id = @user_id',
  mute: `
    INSERT OR IGNORE INTO mutes (user_id, room_id, muted_at) SELECT @user_id, @room_id, @muted_at WHERE ${NOT_ERASED}`,
  unmute: 'DELETE FROM mutes WHERE user_id = @user_id AND room_id = @room_id',
  recordLastSeen: `
    INSERT INTO last_seen (user_id, last_seen) SELECT @user_id, @last_seen WHERE ${NOT_ERASED}
    ON CONFLICT (user_id) DO UPDATE SET last_seen = excluded.last_seen WHERE excluded.last_seen > last_seen.last_seen`,
  dropPushSubscriptionsOf: 'DELETE FROM push_subscriptions WHERE user_id = @user_id',
  dropMutesOf: 'DELETE FROM mutes WHERE user_id = @user_id',
  dropLastSeenOf: 'DELETE FROM last_seen WHERE user_id = @user_id',
  keepWelcome: `
    INSERT OR IGNORE INTO mls_welcomes (user_id, room_id, seq, welcome) VALUES (@user_id, @room_id, @seq, @welcome)`,
  dropWelcome: 'DELETE FROM mls_welcomes WHERE user_id = @user_id AND room_id = @room_id AND seq = @seq',
} as const;
