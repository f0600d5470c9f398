import type { ChatMessage, MemberRole, MessageReaction, Receipt, Room, VerifiedFile } from '@chat/contracts';
import {
  openSqliteFile,
  prepareStatements,
  SqliteAppliedRevisions,
  type Statements,
} from '@chat/event-sourcing/sqlite';
import type Database from 'better-sqlite3';
import type {
  HistoryRange,
  HistorySlice,
  Member,
  MentionPosition,
  MessageReadModel,
  PendingWelcome,
  ReadModelChange,
  ReadModelUpdate,
  RoomRetention,
  SeqRange,
  ReplyRange,
  PersonalData,
  LastSeen,
  Membership,
  StoredFile,
} from './port';
import { erasedForm } from './port';
import { ADDED_COLUMNS, ADDED_INDEXES, QUERIES, SCHEMA, WRITES } from './sqlite-sql';

interface RoomRow extends Omit<Room, 'private' | 'role' | 'members' | 'retention_days' | 'encryption'> {
  encryption: 'mls' | null;
  private: 0 | 1;
  role: MemberRole | null;
  /** A direct room's members, as JSON; null for group rooms. */
  members: string | null;
  retention_days: number | null;
}

interface MessageRow extends Omit<
  ChatMessage,
  'file' | 'edited_at' | 'deleted_at' | 'thread_id' | 'thread' | 'mentions' | 'erased' | 'expired' | 'mls'
> {
  erased: 1 | null;
  mls: string | null;
  file: string | null;
  mentions: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  thread_id: string | null;
  thread: string | null;
  expired: 0 | 1;
}

const toRoom = ({ members, retention_days, encryption, ...row }: RoomRow): Room => ({
  ...row,
  ...(encryption === null ? {} : { encryption }),
  private: row.private === 1,
  ...(members === null ? {} : { members: JSON.parse(members) as string[] }),
  ...(retention_days === null ? {} : { retention_days }),
});

/**
 * `file` is there on file messages only, `mentions` on messages that mention members; `edited_at`
 * and `deleted_at` only once the message was edited or deleted; `thread_id` on replies; `thread`
 * on roots that had a reply; `expired` on messages past their room's retention.
 */
const toMessage = ({
  file,
  edited_at,
  deleted_at,
  thread_id,
  thread,
  mentions,
  erased,
  expired,
  mls,
  ...message
}: MessageRow): ChatMessage => ({
  ...message,
  ...(erased === 1 ? { erased: true } : {}),
  ...(mls === null ? {} : { mls }),
  ...(file === null ? {} : { file: JSON.parse(file) as ChatMessage['file'] }),
  ...(mentions === null ? {} : { mentions: JSON.parse(mentions) as string[] }),
  ...(edited_at === null ? {} : { edited_at }),
  ...(deleted_at === null ? {} : { deleted_at }),
  ...(thread_id === null ? {} : { thread_id }),
  ...(thread === null ? {} : { thread: JSON.parse(thread) as ChatMessage['thread'] }),
  ...(expired === 1 ? { expired: true } : {}),
});

/** Brings a file made by an earlier release up to the schema: adds the columns it lacks. */
const addMissingColumns = (db: Database.Database): void => {
  for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
    const present = new Set(
      (db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name),
    );
    for (const [column, type] of Object.entries(columns)) {
      if (!present.has(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  }
};

/** No seq reaches this: the open end of a history range. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** The embedded read model: one SQLite file, written by the projection, read by REST and resume. */
export class SqliteReadModel implements MessageReadModel {
  private readonly read: Statements<typeof QUERIES>;
  private readonly write: Statements<typeof WRITES>;
  private readonly revisions: SqliteAppliedRevisions;

  private constructor(private readonly db: Database.Database) {
    // What is deleted or overwritten (an edit, a deletion, an erasure) is zeroed, not left in free pages.
    db.pragma('secure_delete = ON');
    db.exec(SCHEMA);
    addMissingColumns(db);
    db.exec(ADDED_INDEXES);
    this.revisions = new SqliteAppliedRevisions(db, 'applied_revisions');
    this.read = prepareStatements(db, QUERIES);
    this.write = prepareStatements(db, WRITES);
  }

  static open(path: string): SqliteReadModel {
    return new SqliteReadModel(openSqliteFile(path));
  }

  async applyBatch(updates: ReadModelUpdate[]): Promise<boolean[]> {
    const applied = await this.revisions.applyEach(updates, ({ changes }) => {
      for (const change of changes) this.store(change);
    });
    // The write-ahead log still holds the pages as they were before: copied back and emptied now.
    const purges = (change: ReadModelChange) =>
      change.kind === 'user_erased' || change.kind === 'history_expired';
    if (updates.some(({ changes }) => changes.some(purges))) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return applied;
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async listRoomsVisibleTo(userId: string): Promise<Room[]> {
    return (this.read.listRoomsVisibleTo.all({ user_id: userId }) as RoomRow[]).map(toRoom);
  }

  async findRoom(roomId: string, viewerId: string): Promise<Room | null> {
    const row = this.read.findRoom.get({ room_id: roomId, user_id: viewerId }) as RoomRow | undefined;
    return row ? toRoom(row) : null;
  }

  async listMembers(roomId: string): Promise<Member[]> {
    return this.read.listMembers.all({ room_id: roomId }) as Member[];
  }

  async countRoomsCreatedBy(ownerId: string, since: Date): Promise<number> {
    const row = this.read.countRoomsCreatedBy.get({ owner_id: ownerId, since: since.toISOString() });
    return (row as { count: number }).count;
  }

  async listMessages(roomId: string, range: HistoryRange): Promise<HistorySlice> {
    const bounds = {
      room_id: roomId,
      after_seq: range.afterSeq ?? 0,
      before_seq: Math.min(range.beforeSeq ?? UNBOUNDED, this.seqBoundOf(roomId, range.before)),
      // One more than asked: whether it comes back says if there is more.
      limit: range.limit + 1,
    };
    const oldestFirst = range.afterSeq !== undefined;
    const rows = (oldestFirst ? this.read.oldestMessages : this.read.newestMessages).all(
      bounds,
    ) as MessageRow[];
    const has_more = rows.length > range.limit;
    const messages = rows.slice(0, range.limit).map(toMessage);
    return { messages: oldestFirst ? messages : messages.reverse(), has_more };
  }

  async listReplies(roomId: string, threadId: string, range: ReplyRange): Promise<HistorySlice> {
    const bounds = {
      room_id: roomId,
      thread_id: threadId,
      after_seq: range.afterSeq ?? 0,
      before_seq: range.beforeSeq ?? UNBOUNDED,
      limit: range.limit + 1,
    };
    const oldestFirst = range.afterSeq !== undefined;
    const rows = (oldestFirst ? this.read.oldestReplies : this.read.newestReplies).all(
      bounds,
    ) as MessageRow[];
    const has_more = rows.length > range.limit;
    const messages = rows.slice(0, range.limit).map(toMessage);
    return { messages: oldestFirst ? messages : messages.reverse(), has_more };
  }

  async latestSeq(roomId: string): Promise<number> {
    const row = this.read.latestSeq.get({ room_id: roomId }) as { last_seq: number } | undefined;
    return row?.last_seq ?? 0;
  }

  async lastSeqBefore(roomId: string, before: Date): Promise<number> {
    return this.seqBoundOf(roomId, before) - 1;
  }

  async listRoomRetention(after: string | null, limit: number): Promise<RoomRetention[]> {
    return this.read.listRoomRetention.all({ after: after ?? '', limit }) as RoomRetention[];
  }

  async findVerifiedFile(fileId: string): Promise<VerifiedFile | null> {
    return (this.read.findVerifiedFile.get({ file_id: fileId }) as VerifiedFile | undefined) ?? null;
  }

  async listReactions(
    roomId: string,
    { fromSeq, toSeq }: SeqRange,
    viewerId: string,
  ): Promise<Map<number, MessageReaction[]>> {
    const rows = this.read.listReactions.all({
      room_id: roomId,
      from_seq: fromSeq,
      to_seq: toSeq,
      viewer_id: viewerId,
    }) as { seq: number; emoji: string; count: number; me: 0 | 1 }[];
    const bySeq = new Map<number, MessageReaction[]>();
    for (const { seq, emoji, count, me } of rows) {
      bySeq.set(seq, [...(bySeq.get(seq) ?? []), { emoji, count, me: me === 1 }]);
    }
    return bySeq;
  }

  async listMentions(userId: string, limit: number, after?: MentionPosition): Promise<ChatMessage[]> {
    // With no position, one above every real one: ISO times start with a digit.
    const from = after ?? { created_at: '~', room_id: '', seq: 0 };
    return (this.read.listMentions.all({ user_id: userId, limit, ...from }) as MessageRow[]).map(toMessage);
  }

  async listReceipts(roomId: string): Promise<Receipt[]> {
    return this.read.listReceipts.all({ room_id: roomId }) as Receipt[];
  }

  async isErased(userId: string): Promise<boolean> {
    return this.read.isErased.get({ user_id: userId }) !== undefined;
  }

  personalData(userId: string): PersonalData {
    const pages = <T extends object>(statement: Database.Statement, start: Record<string, unknown>) =>
      paged<T>((after) => statement.all({ ...start, ...after, user_id: userId, limit: PAGE }) as T[]);
    return {
      memberships: pages<Membership>(this.read.membershipsOf, { room_id: '' }),
      messages: mapped(pages<MessageRow>(this.read.messagesBy, { room_id: '', seq: 0 }), toMessage),
      reactions: pages(this.read.reactionsBy, { room_id: '', seq: 0, emoji: '' }),
      receipts: pages(this.read.receiptsOf, { room_id: '' }),
      files: pages<StoredFile>(this.read.filesBy, { file_id: '' }),
      pushSubscriptions: rowsOf(this.read.pushSubscriptionsOf, userId),
      webhooks: rowsOf(this.read.webhooksOf, userId),
      mutes: rowsOf(this.read.mutesOf, userId),
      lastSeen: async () =>
        (this.read.lastSeenOf.get({ user_id: userId }) as { last_seen: string } | undefined)?.last_seen ??
        null,
    };
  }

  async recordLastSeen(seen: LastSeen[]): Promise<void> {
    this.recordAllLastSeen(seen);
  }

  private readonly recordAllLastSeen = (seen: LastSeen[]) =>
    this.db.transaction(() => {
      for (const each of seen) this.write.recordLastSeen.run(each);
    })();

  async listWelcomes(userId: string): Promise<PendingWelcome[]> {
    return this.read.listWelcomes.all({ user_id: userId }) as PendingWelcome[];
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Messages before a time are those below the newest one created before it. */
  private seqBoundOf(roomId: string, before: Date | undefined): number {
    if (!before) return UNBOUNDED;
    const row = this.read.lastSeqBefore.get({ room_id: roomId, before: before.toISOString() }) as
      { seq: number } | undefined;
    return row ? row.seq + 1 : 1;
  }

  private store(change: ReadModelChange): void {
    switch (change.kind) {
      case 'room_created': {
        const { room_id, name, owner_id, created_at, room_kind, members } = change;
        this.write.createRoom.run({
          room_id,
          name,
          private: Number(change.private),
          owner_id,
          created_at,
          kind: room_kind,
          members: members ? JSON.stringify(members) : null,
          encryption: change.encryption ?? null,
        });
        return;
      }
      case 'room_updated': {
        const { room_id, name } = change;
        this.write.updateRoom.run({ room_id, name, private: Number(change.private) });
        return;
      }
      case 'room_deleted':
        this.write.deleteRoom.run({ room_id: change.room_id });
        return;
      case 'room_retention_changed': {
        const { room_id, retention_days } = change;
        this.write.setRetention.run({ room_id, retention_days });
        return;
      }
      case 'history_expired': {
        const { room_id, through_seq } = change;
        this.write.expireMessages.run({ room_id, through_seq });
        this.write.expireReactions.run({ room_id, through_seq });
        this.write.expireMentions.run({ room_id, through_seq });
        this.write.advanceExpiry.run({ room_id, through_seq });
        return;
      }
      case 'member_added': {
        const { room_id, user_id, role, joined_at } = change;
        if (this.write.addMember.run({ room_id, user_id, role, joined_at }).changes > 0) {
          this.write.countMember.run({ room_id, delta: 1 });
        }
        return;
      }
      case 'member_removed': {
        const { room_id, user_id } = change;
        if (this.write.removeMember.run({ room_id, user_id }).changes > 0) {
          this.write.countMember.run({ room_id, delta: -1 });
        }
        return;
      }
      case 'member_role_changed': {
        const { room_id, user_id, role } = change;
        this.write.changeRole.run({ room_id, user_id, role });
        return;
      }
      case 'message_added': {
        const message = this.read.isErased.get({ user_id: change.message.sender_id })
          ? erasedForm(change.message)
          : change.message;
        this.write.addMessage.run({
          ...message,
          file: message.file ? JSON.stringify(message.file) : null,
          thread_id: message.thread_id ?? null,
          mentions: message.mentions ? JSON.stringify(message.mentions) : null,
          erased: message.erased ? 1 : null,
          mls: message.mls ?? null,
        });
        this.write.advanceLastSeq.run({ room_id: message.room_id, seq: message.seq });
        for (const user_id of message.mentions ?? []) {
          const { created_at, room_id, seq } = message;
          this.write.addMention.run({ user_id, created_at, room_id, seq });
        }
        return;
      }
      case 'file_verified':
        this.write.addVerifiedFile.run(change.file);
        return;
      case 'message_edited': {
        const { room_id, seq, content, edited_at } = change;
        this.write.editMessage.run({ room_id, seq, content, edited_at });
        return;
      }
      case 'message_deleted': {
        const { room_id, seq, deleted_at } = change;
        this.write.deleteMessage.run({ room_id, seq, deleted_at });
        this.write.removeReactionsOf.run({ room_id, seq });
        return;
      }
      case 'reaction_added': {
        const { room_id, seq, emoji, user_id, reacted_at } = change;
        this.write.addReaction.run({ room_id, seq, emoji, user_id, reacted_at });
        return;
      }
      case 'reaction_removed': {
        const { room_id, seq, emoji, user_id } = change;
        this.write.removeReaction.run({ room_id, seq, emoji, user_id });
        return;
      }
      case 'thread_updated': {
        const { room_id, seq, thread } = change;
        this.write.updateThread.run({ room_id, seq, thread: JSON.stringify(thread) });
        this.write.dropMentions.run({ room_id, seq });
        return;
      }
      case 'receipt_marked': {
        const { room_id, user_id, seq, read_at } = change;
        this.write.markReceipt.run({ room_id, user_id, seq, read_at });
        return;
      }
      case 'receipts_hidden':
        this.write.hideReceipts.run({ user_id: change.user_id });
        return;
      case 'user_erased': {
        const { user_id, erased_at } = change;
        this.write.markErased.run({ user_id, erased_at });
        this.write.dropMentionsBy.run({ user_id });
        this.write.eraseMessagesBy.run({ user_id });
        this.write.dropReactionsBy.run({ user_id });
        this.write.hideReceipts.run({ user_id });
        this.write.dropFilesBy.run({ user_id });
        this.write.dropPushSubscriptionsOf.run({ user_id });
        this.write.removeWebhook.run({ user_id });
        this.write.dropMutesOf.run({ user_id });
        this.write.dropLastSeenOf.run({ user_id });
        return;
      }
      case 'push_subscribed': {
        const { user_id, subscription_id, endpoint, subscribed_at } = change;
        this.write.addPushSubscription.run({ user_id, subscription_id, endpoint, subscribed_at });
        return;
      }
      case 'push_unsubscribed':
        this.write.removePushSubscription.run({
          user_id: change.user_id,
          subscription_id: change.subscription_id,
        });
        return;
      case 'webhook_registered': {
        const { user_id, url, registered_at } = change;
        this.write.setWebhook.run({ user_id, url, registered_at });
        return;
      }
      case 'webhook_removed':
        this.write.removeWebhook.run({ user_id: change.user_id });
        return;
      case 'room_muted': {
        const { user_id, room_id, muted_at } = change;
        this.write.mute.run({ user_id, room_id, muted_at });
        return;
      }
      case 'room_unmuted':
        this.write.unmute.run({ user_id: change.user_id, room_id: change.room_id });
        return;
      case 'welcome_kept': {
        const { room_id, seq, welcome } = change;
        for (const user_id of change.recipients)
          this.write.keepWelcome.run({ user_id, room_id, seq, welcome });
        return;
      }
      case 'welcome_acknowledged': {
        const { room_id, seq, user_id } = change;
        this.write.dropWelcome.run({ user_id, room_id, seq });
        return;
      }
    }
  }
}

/** A few rows per user (their subscriptions, webhook, mutes): read at once. */
const rowsOf = <T>(statement: Database.Statement, userId: string): AsyncIterable<T> => ({
  async *[Symbol.asyncIterator]() {
    yield* statement.all({ user_id: userId }) as T[];
  },
});

/** Rows an export reads at once. */
const PAGE = 500;

/**
 * Every row of a keyset-paged read: the next page starts after the previous page's last row (its
 * columns are the statement's position parameters), until a page comes back short.
 */
const paged = <T extends object>(read: (after: T | null) => T[]): AsyncIterable<T> => ({
  async *[Symbol.asyncIterator]() {
    let after: T | null = null;
    for (;;) {
      const rows = read(after);
      yield* rows;
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!;
    }
  },
});

const mapped = <T, U>(rows: AsyncIterable<T>, map: (row: T) => U): AsyncIterable<U> => ({
  async *[Symbol.asyncIterator]() {
    for await (const row of rows) yield map(row);
  },
});
