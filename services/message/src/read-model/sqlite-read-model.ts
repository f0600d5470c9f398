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
  SeqRange,
  ReplyRange,
} from './port';
import { ADDED_COLUMNS, ADDED_INDEXES, QUERIES, SCHEMA, WRITES } from './sqlite-sql';

interface RoomRow extends Omit<Room, 'private' | 'role' | 'members' | 'encryption'> {
  encryption: 'mls' | null;
  private: 0 | 1;
  role: MemberRole | null;
  /** A direct room's members, as JSON; null for group rooms. */
  members: string | null;
}

interface MessageRow extends Omit<
  ChatMessage,
  'file' | 'edited_at' | 'deleted_at' | 'thread_id' | 'thread' | 'mentions' | 'mls'
> {
  mls: string | null;
  file: string | null;
  mentions: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  thread_id: string | null;
  thread: string | null;
}

const toRoom = ({ members, encryption, ...row }: RoomRow): Room => ({
  ...row,
  ...(encryption === null ? {} : { encryption }),
  private: row.private === 1,
  ...(members === null ? {} : { members: JSON.parse(members) as string[] }),
});

/**
 * `file` is there on file messages only, `mentions` on messages that mention members; `edited_at`
 * and `deleted_at` only once the message was edited or deleted; `thread_id` on replies; `thread`
 * on roots that had a reply.
 */
const toMessage = ({
  file,
  edited_at,
  deleted_at,
  thread_id,
  thread,
  mentions,
  mls,
  ...message
}: MessageRow): ChatMessage => ({
  ...message,
  ...(mls === null ? {} : { mls }),
  ...(file === null ? {} : { file: JSON.parse(file) as ChatMessage['file'] }),
  ...(mentions === null ? {} : { mentions: JSON.parse(mentions) as string[] }),
  ...(edited_at === null ? {} : { edited_at }),
  ...(deleted_at === null ? {} : { deleted_at }),
  ...(thread_id === null ? {} : { thread_id }),
  ...(thread === null ? {} : { thread: JSON.parse(thread) as ChatMessage['thread'] }),
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
    return this.revisions.applyEach(updates, ({ changes }) => {
      for (const change of changes) this.store(change);
    });
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
      case 'message_added':
        this.write.addMessage.run({
          ...change.message,
          file: change.message.file ? JSON.stringify(change.message.file) : null,
          thread_id: change.message.thread_id ?? null,
          mentions: change.message.mentions ? JSON.stringify(change.message.mentions) : null,
          mls: change.message.mls ?? null,
        });
        this.write.advanceLastSeq.run({ room_id: change.message.room_id, seq: change.message.seq });
        for (const user_id of change.message.mentions ?? []) {
          const { created_at, room_id, seq } = change.message;
          this.write.addMention.run({ user_id, created_at, room_id, seq });
        }
        return;
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
