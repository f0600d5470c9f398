import type { DeadLetter, UnreadCount } from '@chat/contracts';
import {
  openSqliteFile,
  prepareStatements,
  SqliteAppliedRevisions,
  type Statements,
} from '@chat/event-sourcing/sqlite';
import type Database from 'better-sqlite3';
import type {
  JoinedRoom,
  NotificationChange,
  NotificationReadModel,
  NotificationUpdate,
  PendingDelivery,
  StoredSubscription,
} from './port';
import { personOf } from './port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    sender_id TEXT NOT NULL,
    PRIMARY KEY (room_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS subscriptions (
    subscription_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS subscriptions_by_user ON subscriptions (user_id);
  CREATE TABLE IF NOT EXISTS webhooks (user_id TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS mutes (
    user_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    PRIMARY KEY (room_id, user_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS read_marks (
    user_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, room_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS dead_letters (
    delivery_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    body TEXT NOT NULL,
    abandoned_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS dead_letters_by_user ON dead_letters (user_id, abandoned_at);
  CREATE TABLE IF NOT EXISTS pending_deliveries (
    delivery_id TEXT PRIMARY KEY,
    requested_at TEXT NOT NULL,
    body TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS pending_deliveries_by_age ON pending_deliveries (requested_at, delivery_id);
  CREATE TABLE IF NOT EXISTS presence (user_id TEXT PRIMARY KEY, online INTEGER NOT NULL, at TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS erased_users (user_id TEXT PRIMARY KEY) WITHOUT ROWID;
`;

const SQL = {
  addMessage: 'INSERT OR IGNORE INTO messages (room_id, seq, sender_id) VALUES (@room_id, @seq, @sender_id)',
  addSubscription: `
    INSERT OR REPLACE INTO subscriptions (subscription_id, user_id, endpoint, p256dh, auth, created_at)
    VALUES (@subscription_id, @user_id, @endpoint, @p256dh, @auth, @created_at)`,
  removeSubscription: 'DELETE FROM subscriptions WHERE subscription_id = @subscription_id',
  setWebhook: `
    INSERT INTO webhooks (user_id, url, secret) VALUES (@user_id, @url, @secret)
    ON CONFLICT (user_id) DO UPDATE SET url = excluded.url, secret = excluded.secret`,
  removeWebhook: 'DELETE FROM webhooks WHERE user_id = @user_id',
  mute: 'INSERT OR IGNORE INTO mutes (user_id, room_id) VALUES (@user_id, @room_id)',
  unmute: 'DELETE FROM mutes WHERE user_id = @user_id AND room_id = @room_id',
  markRead: `
    INSERT INTO read_marks (user_id, room_id, seq) VALUES (@user_id, @room_id, @seq)
    ON CONFLICT (user_id, room_id) DO UPDATE SET seq = max(seq, excluded.seq)`,
  addDeadLetter: `
    INSERT OR IGNORE INTO dead_letters (delivery_id, user_id, body, abandoned_at)
    VALUES (@delivery_id, @user_id, @body, @abandoned_at)`,
  addPendingDelivery: `
    INSERT OR IGNORE INTO pending_deliveries (delivery_id, requested_at, body)
    VALUES (@delivery_id, @requested_at, @body)`,
  endDelivery: 'DELETE FROM pending_deliveries WHERE delivery_id = @delivery_id',
  pendingDeliveries: `
    SELECT body FROM pending_deliveries
    WHERE (requested_at, delivery_id) > (@requested_at, @delivery_id)
    ORDER BY requested_at, delivery_id LIMIT @limit`,
  subscriptionsOf:
    'SELECT * FROM subscriptions WHERE user_id = @user_id ORDER BY created_at, subscription_id',
  webhookOf: 'SELECT url, secret FROM webhooks WHERE user_id = @user_id',
  unreadCount: `
    SELECT @room_id AS room_id,
      COALESCE((SELECT max(seq) FROM messages WHERE room_id = @room_id), 0) AS last_seq,
      (SELECT count(*) FROM messages
        WHERE room_id = @room_id AND sender_id <> @user_id
          AND seq > max(@joined_after_seq, COALESCE(
            (SELECT seq FROM read_marks WHERE user_id = @user_id AND room_id = @room_id), 0))) AS unread`,
  deadLetters: 'SELECT body FROM dead_letters WHERE user_id = @user_id ORDER BY abandoned_at, delivery_id',
  // Users as a JSON array: one prepared statement whatever their number.
  mutedAmong: 'SELECT user_id FROM mutes WHERE room_id = ? AND user_id IN (SELECT value FROM json_each(?))',
  onlineAmong:
    'SELECT user_id FROM presence WHERE online = 1 AND user_id IN (SELECT value FROM json_each(?))',
  setPresence: `
    INSERT INTO presence (user_id, online, at)
    SELECT @user_id, @online, @at WHERE NOT EXISTS (SELECT 1 FROM erased_users WHERE user_id = @user_id)
    ON CONFLICT (user_id) DO UPDATE SET online = excluded.online, at = excluded.at WHERE excluded.at >= presence.at`,
  isErased: 'SELECT 1 FROM erased_users WHERE user_id = @user_id',
  markErased: 'INSERT OR IGNORE INTO erased_users (user_id) VALUES (@user_id)',
} as const;

/** What an erasure deletes, each with the user as `@user_id`. */
const ERASE = [
  'DELETE FROM subscriptions WHERE user_id = @user_id',
  'DELETE FROM webhooks WHERE user_id = @user_id',
  'DELETE FROM mutes WHERE user_id = @user_id',
  'DELETE FROM read_marks WHERE user_id = @user_id',
  'DELETE FROM dead_letters WHERE user_id = @user_id',
  'DELETE FROM presence WHERE user_id = @user_id',
  `DELETE FROM pending_deliveries
    WHERE json_extract(body, '$.user_id') = @user_id OR json_extract(body, '$.payload.sender_id') = @user_id`,
];

interface SubscriptionRow {
  subscription_id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

/** The embedded notification read model: one SQLite file. */
export class SqliteNotificationReadModel implements NotificationReadModel {
  private readonly statements: Statements<typeof SQL>;
  private readonly revisions: SqliteAppliedRevisions;
  private readonly erase: Database.Statement[];

  private constructor(private readonly db: Database.Database) {
    // What is deleted is zeroed, not left readable in free pages.
    db.pragma('secure_delete = ON');
    db.exec(SCHEMA);
    this.revisions = new SqliteAppliedRevisions(db, 'applied_revisions');
    this.statements = prepareStatements(db, SQL);
    this.erase = ERASE.map((sql) => db.prepare(sql));
  }

  static open(path: string): SqliteNotificationReadModel {
    return new SqliteNotificationReadModel(openSqliteFile(path));
  }

  async applyBatch(updates: NotificationUpdate[]): Promise<boolean[]> {
    const applied = await this.revisions.applyEach(updates, ({ changes }) => {
      for (const change of changes) this.store(change);
    });
    if (updates.some(({ changes }) => changes.some((change) => change.kind === 'user_erased'))) {
      // The write-ahead log still holds the pages as they were before: copied back and emptied now.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return applied;
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async mutedAmong(roomId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = this.statements.mutedAmong.all(roomId, JSON.stringify(userIds)) as { user_id: string }[];
    return new Set(rows.map((row) => row.user_id));
  }

  async subscriptionsOf(userId: string): Promise<StoredSubscription[]> {
    const rows = this.statements.subscriptionsOf.all({ user_id: userId }) as SubscriptionRow[];
    return rows.map(({ p256dh, auth, ...rest }) => ({ ...rest, keys: { p256dh, auth } }));
  }

  async webhookOf(userId: string): Promise<{ url: string; secret: string } | null> {
    return (this.statements.webhookOf.get({ user_id: userId }) as { url: string; secret: string }) ?? null;
  }

  async unreadCounts(userId: string, rooms: readonly JoinedRoom[]): Promise<UnreadCount[]> {
    return rooms.map(
      ({ room_id, joined_after_seq }) =>
        this.statements.unreadCount.get({ user_id: userId, room_id, joined_after_seq }) as UnreadCount,
    );
  }

  async deadLetters(userId: string): Promise<DeadLetter[]> {
    return (this.statements.deadLetters.all({ user_id: userId }) as { body: string }[]).map(
      (row) => JSON.parse(row.body) as DeadLetter,
    );
  }

  async pendingDeliveries(after: PendingDelivery | null, limit: number): Promise<PendingDelivery[]> {
    const rows = this.statements.pendingDeliveries.all({
      requested_at: after?.requested_at ?? '',
      delivery_id: after?.delivery_id ?? '',
      limit,
    }) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as PendingDelivery);
  }

  async setPresence(userId: string, online: boolean, at: string): Promise<void> {
    this.statements.setPresence.run({ user_id: userId, online: Number(online), at });
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = this.statements.onlineAmong.all(JSON.stringify(userIds)) as { user_id: string }[];
    return new Set(rows.map((row) => row.user_id));
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private store(change: NotificationChange): void {
    const s = this.statements;
    const person = personOf(change);
    if (person !== null && s.isErased.get({ user_id: person }) !== undefined) return;
    switch (change.kind) {
      case 'message_posted':
        return void s.addMessage.run({
          room_id: change.room_id,
          seq: change.seq,
          sender_id: change.sender_id,
        });
      case 'subscription_added': {
        const { keys, ...rest } = change.subscription;
        return void s.addSubscription.run({ ...rest, p256dh: keys.p256dh, auth: keys.auth });
      }
      case 'subscription_removed':
        return void s.removeSubscription.run({ subscription_id: change.subscription_id });
      case 'webhook_set':
        return void s.setWebhook.run({ user_id: change.user_id, url: change.url, secret: change.secret });
      case 'webhook_removed':
        return void s.removeWebhook.run({ user_id: change.user_id });
      case 'room_muted':
        return void s.mute.run({ user_id: change.user_id, room_id: change.room_id });
      case 'room_unmuted':
        return void s.unmute.run({ user_id: change.user_id, room_id: change.room_id });
      case 'read_marked':
        return void s.markRead.run({ user_id: change.user_id, room_id: change.room_id, seq: change.seq });
      case 'dead_lettered':
        return void s.addDeadLetter.run({
          delivery_id: change.dead_letter.delivery_id,
          user_id: change.user_id,
          body: JSON.stringify(change.dead_letter),
          abandoned_at: change.dead_letter.abandoned_at,
        });
      case 'delivery_pending':
        return void s.addPendingDelivery.run({
          delivery_id: change.delivery.delivery_id,
          requested_at: change.delivery.requested_at,
          body: JSON.stringify(change.delivery),
        });
      case 'delivery_ended':
        return void s.endDelivery.run({ delivery_id: change.delivery_id });
      case 'user_erased':
        s.markErased.run({ user_id: change.user_id });
        for (const statement of this.erase) statement.run({ user_id: change.user_id });
        return;
    }
  }
}
