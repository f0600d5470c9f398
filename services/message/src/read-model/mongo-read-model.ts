import type {
  ChatMessage,
  MemberRole,
  MessageReaction,
  Receipt,
  Room,
  RoomKind,
  VerifiedFile,
} from '@chat/contracts';
import {
  connectMongo,
  createIndexesOneByOne,
  insertNew,
  isDuplicateKey,
  MongoAppliedRevisions,
} from '@chat/event-sourcing/mongo';
import { type Collection, type Db, type Filter, type IndexDescription, type MongoClient } from 'mongodb';
import type {
  HistoryRange,
  HistorySlice,
  Member,
  MentionPosition,
  MessageReadModel,
  PendingWelcome,
  ReadModelChange,
  ReadModelUpdate,
  ReactionKey,
  RoomRetention,
  SeqRange,
  ReplyRange,
  PersonalData,
  LastSeen,
  Membership,
  StoredFile,
} from './port';
import { erasedForm } from './port';

/** A room, keyed by its id. */
interface RoomDoc {
  _id: string;
  name: string;
  private: boolean;
  owner_id: string;
  created_at: string;
  deleted: boolean;
  last_seq: number;
  member_count: number;
  /** Absent on rooms written before direct rooms existed, which are all `group`. */
  kind?: RoomKind;
  /** A direct room's members; absent on group rooms. */
  members?: string[];
  /** The room's own retention; absent or null: the deployment's. */
  retention_days?: number | null;
  /** Absent: nothing expired yet. */
  expired_through_seq?: number;
  /** Only on an end-to-end encrypted room. */
  encryption?: 'mls';
}

interface MemberDoc extends Member {
  room_id: string;
}

/** One user's reaction with one emoji to one message. */
interface ReactionDoc extends ReactionKey {
  reacted_at: string;
}

/** A user's receipt in a room, keyed by the JSON pair `[room_id, user_id]`. */
/** `_id`: `[user_id, room_id, seq]` as JSON, so a repeated keep inserts nothing. */
interface WelcomeDoc extends PendingWelcome {
  _id: string;
  user_id: string;
}

interface ReceiptDoc extends Receipt {
  _id: string;
  room_id: string;
}

/** A verified upload, keyed by its file id. */
interface VerifiedFileDoc extends Omit<StoredFile, 'file_id'> {
  _id: string;
}

/** A user's push subscription, keyed by the JSON pair `[user_id, subscription_id]`. */
interface PushSubscriptionDoc {
  _id: string;
  user_id: string;
  subscription_id: string;
  endpoint: string;
  subscribed_at: string;
}

/** A user's muted room, keyed by the JSON pair `[user_id, room_id]`. */
interface MuteDoc {
  _id: string;
  user_id: string;
  room_id: string;
  muted_at: string;
}

/** An erased user, keyed by their id. */
interface ErasedUserDoc {
  _id: string;
  erased_at: string;
}

const COLLECTIONS = {
  rooms: 'rooms',
  members: 'members',
  messages: 'messages',
  verifiedFiles: 'verified_files',
  reactions: 'reactions',
  receipts: 'receipts',
  erasedUsers: 'erased_users',
  pushSubscriptions: 'push_subscriptions',
  webhooks: 'webhooks',
  mutes: 'mutes',
  lastSeen: 'last_seen',
  revisions: 'stream_revisions',
  welcomes: 'mls_welcomes',
} as const;

/**
 * The indexes every read and every natural-key write is answered from on MongoDB. FerretDB 1.x
 * keeps them (and enforces the unique ones) but answers only `_id` equality from SQLite; any other
 * filter reads the whole collection, so there a page of a 100,000-message room takes seconds.
 */
const INDEXES: [collection: string, index: IndexDescription][] = [
  [COLLECTIONS.rooms, { name: 'rooms_listed', key: { private: 1, deleted: 1, created_at: 1 } }],
  [COLLECTIONS.rooms, { name: 'rooms_by_owner', key: { owner_id: 1, created_at: 1 } }],
  [COLLECTIONS.members, { name: 'members_by_room', key: { room_id: 1, user_id: 1 }, unique: true }],
  [COLLECTIONS.members, { name: 'members_by_user', key: { user_id: 1, room_id: 1 } }],
  [COLLECTIONS.messages, { name: 'messages_by_seq', key: { room_id: 1, seq: 1 }, unique: true }],
  [COLLECTIONS.messages, { name: 'messages_by_time', key: { room_id: 1, created_at: 1, seq: 1 } }],
  [
    COLLECTIONS.reactions,
    { name: 'reactions_by_message', key: { room_id: 1, seq: 1, emoji: 1, user_id: 1 }, unique: true },
  ],
  [COLLECTIONS.messages, { name: 'messages_by_thread', key: { room_id: 1, thread_id: 1, seq: 1 } }],
  [COLLECTIONS.messages, { name: 'messages_by_mention', key: { mentions: 1, created_at: -1 } }],
  [COLLECTIONS.receipts, { name: 'receipts_by_room', key: { room_id: 1, user_id: 1 } }],
  [COLLECTIONS.receipts, { name: 'receipts_by_user', key: { user_id: 1 } }],
  [COLLECTIONS.messages, { name: 'messages_by_sender', key: { sender_id: 1, room_id: 1, seq: 1 } }],
  [COLLECTIONS.reactions, { name: 'reactions_by_user', key: { user_id: 1, room_id: 1, seq: 1 } }],
  [COLLECTIONS.verifiedFiles, { name: 'verified_files_by_uploader', key: { uploader_id: 1 } }],
  [COLLECTIONS.pushSubscriptions, { name: 'push_subscriptions_by_user', key: { user_id: 1 } }],
  [COLLECTIONS.mutes, { name: 'mutes_by_user', key: { user_id: 1 } }],
  [COLLECTIONS.welcomes, { name: 'welcomes_by_user', key: { user_id: 1, room_id: 1, seq: 1 } }],
];

const welcomeId = (userId: string, roomId: string, seq: number) => JSON.stringify([userId, roomId, seq]);

/** No seq reaches this: the open end of a history range. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

const toRoom = (doc: RoomDoc, role: MemberRole | null): Room => ({
  room_id: doc._id,
  name: doc.name,
  private: doc.private,
  owner_id: doc.owner_id,
  member_count: doc.member_count,
  last_seq: doc.last_seq,
  created_at: doc.created_at,
  role,
  kind: doc.kind ?? 'group',
  ...(doc.members ? { members: doc.members } : {}),
  ...(typeof doc.retention_days === 'number' ? { retention_days: doc.retention_days } : {}),
  ...(doc.encryption ? { encryption: doc.encryption } : {}),
});

/**
 * The fleet's read model on MongoDB (locally FerretDB, which has no multi-document transactions).
 *
 * `apply` is therefore not atomic but idempotent, and crash-safe by ordering: it writes the
 * changes first and records the stream's revision last. Every change write can be repeated
 * without effect — inserts that ignore what is already there, `$set`, `$max`, deletes, and a
 * member count recounted rather than incremented — so an event interrupted by a crash is simply
 * applied again in full when it is redelivered, and one already recorded is skipped.
 */
export class MongoReadModel implements MessageReadModel {
  private readonly rooms: Collection<RoomDoc>;
  private readonly members: Collection<MemberDoc>;
  private readonly messages: Collection<ChatMessage>;
  private readonly revisions: MongoAppliedRevisions;
  private readonly verifiedFiles: Collection<VerifiedFileDoc>;
  private readonly reactions: Collection<ReactionDoc>;
  private readonly receipts: Collection<ReceiptDoc>;
  private readonly erasedUsers: Collection<ErasedUserDoc>;
  private readonly pushSubscriptions: Collection<PushSubscriptionDoc>;
  private readonly webhooks: Collection<{ _id: string; url: string; registered_at: string }>;
  private readonly mutes: Collection<MuteDoc>;
  private readonly lastSeen: Collection<{ _id: string; last_seen: string }>;
  private readonly welcomes: Collection<WelcomeDoc>;

  private constructor(
    db: Db,
    /** Set when this read model opened the client, and so closes it. */
    private readonly ownClient?: MongoClient,
  ) {
    this.rooms = db.collection(COLLECTIONS.rooms);
    this.members = db.collection(COLLECTIONS.members);
    this.messages = db.collection(COLLECTIONS.messages);
    this.revisions = new MongoAppliedRevisions(db, COLLECTIONS.revisions);
    this.verifiedFiles = db.collection(COLLECTIONS.verifiedFiles);
    this.reactions = db.collection(COLLECTIONS.reactions);
    this.receipts = db.collection(COLLECTIONS.receipts);
    this.erasedUsers = db.collection(COLLECTIONS.erasedUsers);
    this.pushSubscriptions = db.collection(COLLECTIONS.pushSubscriptions);
    this.webhooks = db.collection(COLLECTIONS.webhooks);
    this.mutes = db.collection(COLLECTIONS.mutes);
    this.lastSeen = db.collection(COLLECTIONS.lastSeen);
    this.welcomes = db.collection(COLLECTIONS.welcomes);
  }

  /** Connects to `url` and uses `database` (default: the one named in the URL). */
  static async open(url: string, options: { database?: string } = {}): Promise<MongoReadModel> {
    return connectMongo(url, options, (db, client) => MongoReadModel.prepare(db, client));
  }

  /** On a database of a client shared with others; `close` leaves that client open. */
  static async on(db: Db): Promise<MongoReadModel> {
    return MongoReadModel.prepare(db);
  }

  private static async prepare(db: Db, ownClient?: MongoClient): Promise<MongoReadModel> {
    // One index per command: FerretDB 1.24 panics on a createIndexes naming several existing ones.
    await createIndexesOneByOne(db, INDEXES);
    return new MongoReadModel(db, ownClient);
  }

  async applyBatch(updates: ReadModelUpdate[]): Promise<boolean[]> {
    return this.revisions.applyEach(updates, async (fresh) => {
      for (const step of inSteps(fresh.flatMap(({ changes }) => changes))) {
        await (Array.isArray(step) ? this.addMessages(step) : this.store(step));
      }
    });
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async listRoomsVisibleTo(userId: string): Promise<Room[]> {
    const memberships = await this.members
      .find({ user_id: userId }, { projection: { _id: 0, room_id: 1, role: 1 } })
      .toArray();
    const roleIn = new Map(memberships.map((each) => [each.room_id, each.role]));
    const rooms = await this.rooms
      .find({ deleted: false, $or: [{ private: false }, { _id: { $in: [...roleIn.keys()] } }] })
      .sort({ created_at: 1, _id: 1 })
      .toArray();
    return rooms.map((room) => toRoom(room, roleIn.get(room._id) ?? null));
  }

  async findRoom(roomId: string, viewerId: string): Promise<Room | null> {
    const [room, membership] = await Promise.all([
      this.rooms.findOne({ _id: roomId }),
      this.members.findOne({ room_id: roomId, user_id: viewerId }),
    ]);
    return room && !room.deleted ? toRoom(room, membership?.role ?? null) : null;
  }

  async listMembers(roomId: string): Promise<Member[]> {
    return this.members
      .find({ room_id: roomId }, { projection: { _id: 0, user_id: 1, role: 1, joined_at: 1 } })
      .sort({ user_id: 1 })
      .toArray();
  }

  async countRoomsCreatedBy(ownerId: string, since: Date): Promise<number> {
    return this.rooms.countDocuments({ owner_id: ownerId, created_at: { $gte: since.toISOString() } });
  }

  async listMessages(roomId: string, range: HistoryRange): Promise<HistorySlice> {
    const beforeSeq = Math.min(range.beforeSeq ?? UNBOUNDED, await this.seqBoundOf(roomId, range.before));
    return this.slice({ room_id: roomId }, { ...range, beforeSeq });
  }

  async listReplies(roomId: string, threadId: string, range: ReplyRange): Promise<HistorySlice> {
    return this.slice({ room_id: roomId, thread_id: threadId }, range);
  }

  async latestSeq(roomId: string): Promise<number> {
    return (await this.rooms.findOne({ _id: roomId }))?.last_seq ?? 0;
  }

  async lastSeqBefore(roomId: string, before: Date): Promise<number> {
    return (await this.seqBoundOf(roomId, before)) - 1;
  }

  async listRoomRetention(after: string | null, limit: number): Promise<RoomRetention[]> {
    const rooms = await this.rooms
      .find(after === null ? {} : { _id: { $gt: after } }, {
        projection: { _id: 1, retention_days: 1, expired_through_seq: 1 },
      })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return rooms.map((room) => ({
      room_id: room._id,
      retention_days: room.retention_days ?? null,
      expired_through_seq: room.expired_through_seq ?? 0,
    }));
  }

  async findVerifiedFile(fileId: string): Promise<VerifiedFile | null> {
    const doc = await this.verifiedFiles.findOne({ _id: fileId });
    if (!doc) return null;
    const { _id: file_id, room_id, file_name, content_type, size, file_url } = doc;
    return { file_id, room_id, file_name, content_type, size, file_url };
  }

  async listReactions(
    roomId: string,
    { fromSeq, toSeq }: SeqRange,
    viewerId: string,
  ): Promise<Map<number, MessageReaction[]>> {
    const docs = await this.reactions
      .find({ room_id: roomId, seq: { $gte: fromSeq, $lte: toSeq } }, { projection: { _id: 0 } })
      .sort({ seq: 1, reacted_at: 1, emoji: 1 })
      .toArray();
    // Grouped here rather than by an aggregation: FerretDB 1.x answers few aggregation stages.
    const bySeq = new Map<number, Map<string, MessageReaction>>();
    for (const { seq, emoji, user_id } of docs) {
      const emojis = bySeq.get(seq) ?? new Map<string, MessageReaction>();
      const reaction = emojis.get(emoji) ?? { emoji, count: 0, me: false };
      emojis.set(emoji, { emoji, count: reaction.count + 1, me: reaction.me || user_id === viewerId });
      bySeq.set(seq, emojis);
    }
    return new Map([...bySeq].map(([seq, emojis]) => [seq, [...emojis.values()]]));
  }

  async listMentions(userId: string, limit: number, after?: MentionPosition): Promise<ChatMessage[]> {
    const memberships = await this.members
      .find({ user_id: userId }, { projection: { room_id: 1 } })
      .toArray();
    const readable = await this.rooms
      .find(
        { _id: { $in: memberships.map((each) => each.room_id) }, deleted: false },
        { projection: { _id: 1 } },
      )
      .toArray();
    const older = after
      ? [
          {
            $or: [
              { created_at: { $lt: after.created_at } },
              { created_at: after.created_at, room_id: { $lt: after.room_id } },
              { created_at: after.created_at, room_id: after.room_id, seq: { $lt: after.seq } },
            ],
          },
        ]
      : [];
    return this.messages
      .find(
        {
          $and: [
            { mentions: userId, room_id: { $in: readable.map((room) => room._id) } },
            { deleted_at: { $exists: false } },
            ...older,
          ],
        },
        { projection: { _id: 0 } },
      )
      .sort({ created_at: -1, room_id: -1, seq: -1 })
      .limit(limit)
      .toArray();
  }

  async listReceipts(roomId: string): Promise<Receipt[]> {
    return this.receipts
      .find({ room_id: roomId }, { projection: { _id: 0, user_id: 1, seq: 1, read_at: 1 } })
      .sort({ user_id: 1 })
      .toArray();
  }

  async isErased(userId: string): Promise<boolean> {
    return (await this.erasedUsers.countDocuments({ _id: userId }, { limit: 1 })) > 0;
  }

  personalData(userId: string): PersonalData {
    const hidden = { projection: { _id: 0 } };
    const members = this.members;
    const rooms = this.rooms;
    return {
      memberships: {
        async *[Symbol.asyncIterator]() {
          const cursor = members.find({ user_id: userId }, hidden).sort({ room_id: 1 });
          for await (const { room_id, role, joined_at } of cursor) {
            const room = await rooms.findOne({ _id: room_id }, { projection: { name: 1 } });
            yield { room_id, room_name: room?.name ?? '', role, joined_at } satisfies Membership;
          }
        },
      },
      messages: this.messages.find({ sender_id: userId }, hidden).sort({ room_id: 1, seq: 1 }),
      reactions: this.reactions
        .find({ user_id: userId }, { projection: { _id: 0, user_id: 0 } })
        .sort({ room_id: 1, seq: 1, emoji: 1 }),
      receipts: this.receipts
        .find({ user_id: userId }, { projection: { _id: 0, room_id: 1, seq: 1, read_at: 1 } })
        .sort({ room_id: 1 }),
      files: this.verifiedFiles
        .find({ uploader_id: userId })
        .sort({ _id: 1 })
        .map(({ _id: file_id, ...file }) => ({ file_id, ...file })),
      pushSubscriptions: this.pushSubscriptions
        .find(
          { user_id: userId },
          { projection: { _id: 0, subscription_id: 1, endpoint: 1, subscribed_at: 1 } },
        )
        .sort({ subscription_id: 1 }),
      webhooks: this.webhooks.find({ _id: userId }, { projection: { _id: 0, url: 1, registered_at: 1 } }),
      mutes: this.mutes
        .find({ user_id: userId }, { projection: { _id: 0, room_id: 1, muted_at: 1 } })
        .sort({ room_id: 1 }),
      lastSeen: async () => (await this.lastSeen.findOne({ _id: userId }))?.last_seen ?? null,
    };
  }

  async recordLastSeen(seen: LastSeen[]): Promise<void> {
    const erased = await this.erasedAmong(seen.map((each) => each.user_id));
    for (const { user_id, last_seen } of seen) {
      if (erased.has(user_id)) continue;
      try {
        await this.lastSeen.updateOne(
          { _id: user_id, last_seen: { $lt: last_seen } },
          { $set: { last_seen } },
          { upsert: true },
        );
      } catch (error) {
        // A later time is stored: the filter missed it and the upsert met its _id.
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  async listWelcomes(userId: string): Promise<PendingWelcome[]> {
    return this.welcomes
      .find({ user_id: userId }, { projection: { _id: 0, room_id: 1, seq: 1, welcome: 1 } })
      .sort({ room_id: 1, seq: 1 })
      .toArray();
  }

  async close(): Promise<void> {
    await this.ownClient?.close();
  }

  /** The messages matching `filter` in the seq range, ascending. */
  private async slice(filter: Filter<ChatMessage>, range: ReplyRange): Promise<HistorySlice> {
    const oldestFirst = range.afterSeq !== undefined;
    const rows = await this.messages
      .find(
        { ...filter, seq: { $gt: range.afterSeq ?? 0, $lt: range.beforeSeq ?? UNBOUNDED } },
        { projection: { _id: 0 } },
      )
      .sort({ seq: oldestFirst ? 1 : -1 })
      // One more than asked: whether it comes back says if there is more.
      .limit(range.limit + 1)
      .toArray();
    const has_more = rows.length > range.limit;
    const messages = rows.slice(0, range.limit);
    return { messages: oldestFirst ? messages : messages.reverse(), has_more };
  }

  /** Messages before a time are those below the newest one created before it. */
  private async seqBoundOf(roomId: string, before: Date | undefined): Promise<number> {
    if (!before) return UNBOUNDED;
    const newest = await this.messages.findOne(
      { room_id: roomId, created_at: { $lt: before.toISOString() } },
      { sort: { created_at: -1, seq: -1 }, projection: { seq: 1 } },
    );
    return newest ? newest.seq + 1 : 1;
  }

  /** Consecutive messages go in one insert: a bulk load is a few round trips, not one per message. */
  private async addMessages(messages: ChatMessage[]): Promise<void> {
    const erased = await this.erasedAmong(messages.map((message) => message.sender_id));
    // Copies: the driver adds an `_id` to what it inserts.
    await insertNew(
      this.messages,
      messages.map((message) => (erased.has(message.sender_id) ? erasedForm(message) : { ...message })),
    );
    const lastSeqOf = new Map<string, number>();
    for (const { room_id, seq } of messages) {
      lastSeqOf.set(room_id, Math.max(seq, lastSeqOf.get(room_id) ?? 0));
    }
    for (const [roomId, seq] of lastSeqOf) {
      await this.rooms.updateOne({ _id: roomId }, { $max: { last_seq: seq } });
    }
  }

  private async store(change: Exclude<ReadModelChange, { kind: 'message_added' }>): Promise<void> {
    switch (change.kind) {
      case 'room_created': {
        const { room_id, name, owner_id, created_at, room_kind, members, encryption } = change;
        await this.rooms.updateOne(
          { _id: room_id },
          {
            $set: {
              name,
              private: change.private,
              owner_id,
              created_at,
              kind: room_kind,
              ...(members ? { members } : {}),
              ...(encryption ? { encryption } : {}),
            },
            $setOnInsert: { deleted: false, last_seq: 0, member_count: 0 },
          },
          { upsert: true },
        );
        return;
      }
      case 'room_updated':
        await this.rooms.updateOne(
          { _id: change.room_id },
          { $set: { name: change.name, private: change.private } },
        );
        return;
      case 'room_deleted':
        await this.rooms.updateOne({ _id: change.room_id }, { $set: { deleted: true } });
        return;
      case 'room_retention_changed':
        await this.rooms.updateOne(
          { _id: change.room_id },
          { $set: { retention_days: change.retention_days } },
        );
        return;
      case 'history_expired': {
        const { room_id, through_seq } = change;
        // As a deletion's tombstone, and marked expired; rows expired before are left alone.
        await this.messages.updateMany(
          { room_id, seq: { $lte: through_seq }, expired: { $ne: true } },
          { $set: { content: '', expired: true }, $unset: { file: '', mentions: '', mls: '' } },
        );
        await this.reactions.deleteMany({ room_id, seq: { $lte: through_seq } });
        await this.rooms.updateOne({ _id: room_id }, { $max: { expired_through_seq: through_seq } });
        return;
      }
      case 'member_added': {
        const { room_id, user_id, role, joined_at } = change;
        await insertNew(this.members, [{ room_id, user_id, role, joined_at }]);
        await this.recountMembers(room_id);
        return;
      }
      case 'member_removed':
        await this.members.deleteOne({ room_id: change.room_id, user_id: change.user_id });
        await this.recountMembers(change.room_id);
        return;
      case 'member_role_changed': {
        const { room_id, user_id, role } = change;
        await this.members.updateOne({ room_id, user_id }, { $set: { role } });
        return;
      }
      case 'file_verified': {
        const { file_id, ...file } = change.file;
        if (file.uploader_id !== null && (await this.isErased(file.uploader_id))) return;
        await this.verifiedFiles.updateOne({ _id: file_id }, { $set: file }, { upsert: true });
        return;
      }
      case 'message_edited': {
        const { room_id, seq, content, edited_at } = change;
        await this.messages.updateOne(
          { room_id, seq, erased: { $exists: false } },
          { $set: { content, edited_at } },
        );
        return;
      }
      case 'message_deleted': {
        const { room_id, seq, deleted_at } = change;
        // A tombstone keeps nothing of what was said, attachment, mentions and MLS bytes included.
        await this.messages.updateOne(
          { room_id, seq },
          { $set: { content: '', deleted_at }, $unset: { file: '', mentions: '', mls: '' } },
        );
        await this.reactions.deleteMany({ room_id, seq });
        return;
      }
      case 'reaction_added': {
        const { room_id, seq, emoji, user_id, reacted_at } = change;
        if (await this.isErased(user_id)) return;
        await insertNew(this.reactions, [{ room_id, seq, emoji, user_id, reacted_at }]);
        return;
      }
      case 'reaction_removed': {
        const { room_id, seq, emoji, user_id } = change;
        await this.reactions.deleteOne({ room_id, seq, emoji, user_id });
        return;
      }
      case 'thread_updated': {
        const { room_id, seq, thread } = change;
        await this.messages.updateOne({ room_id, seq }, { $set: { thread } });
        return;
      }
      case 'receipt_marked': {
        const { room_id, user_id, seq, read_at } = change;
        if (await this.isErased(user_id)) return;
        const _id = JSON.stringify([room_id, user_id]);
        // Moves only forward: an older receipt matches nothing, and its insert meets the newer one.
        const moved = await this.receipts.updateOne({ _id, seq: { $lt: seq } }, { $set: { seq, read_at } });
        if (moved.matchedCount === 0)
          await insertNew(this.receipts, [{ _id, room_id, user_id, seq, read_at }]);
        return;
      }
      case 'receipts_hidden':
        await this.receipts.deleteMany({ user_id: change.user_id });
        return;
      case 'user_erased': {
        const { user_id, erased_at } = change;
        // Marked first: a write of theirs racing this one meets the mark and is taken in erased.
        await insertNew(this.erasedUsers, [{ _id: user_id, erased_at }]);
        await this.messages.updateMany(
          { sender_id: user_id },
          { $set: { content: '', erased: true }, $unset: { file: '', mentions: '', mls: '' } },
        );
        await this.reactions.deleteMany({ user_id });
        await this.receipts.deleteMany({ user_id });
        await this.verifiedFiles.deleteMany({ uploader_id: user_id });
        await this.pushSubscriptions.deleteMany({ user_id });
        await this.webhooks.deleteOne({ _id: user_id });
        await this.mutes.deleteMany({ user_id });
        await this.lastSeen.deleteOne({ _id: user_id });
        return;
      }
      case 'push_subscribed': {
        const { user_id, subscription_id, endpoint, subscribed_at } = change;
        if (await this.isErased(user_id)) return;
        await this.pushSubscriptions.updateOne(
          { _id: JSON.stringify([user_id, subscription_id]) },
          { $set: { user_id, subscription_id, endpoint, subscribed_at } },
          { upsert: true },
        );
        return;
      }
      case 'push_unsubscribed':
        await this.pushSubscriptions.deleteOne({
          _id: JSON.stringify([change.user_id, change.subscription_id]),
        });
        return;
      case 'webhook_registered': {
        const { user_id, url, registered_at } = change;
        if (await this.isErased(user_id)) return;
        await this.webhooks.updateOne({ _id: user_id }, { $set: { url, registered_at } }, { upsert: true });
        return;
      }
      case 'webhook_removed':
        await this.webhooks.deleteOne({ _id: change.user_id });
        return;
      case 'room_muted': {
        const { user_id, room_id, muted_at } = change;
        if (await this.isErased(user_id)) return;
        await this.mutes.updateOne(
          { _id: JSON.stringify([user_id, room_id]) },
          { $set: { user_id, room_id, muted_at } },
          { upsert: true },
        );
        return;
      }
      case 'room_unmuted':
        await this.mutes.deleteOne({ _id: JSON.stringify([change.user_id, change.room_id]) });
        return;
      case 'welcome_kept': {
        const { room_id, seq, welcome } = change;
        await insertNew(
          this.welcomes,
          change.recipients.map((user_id) => ({
            _id: welcomeId(user_id, room_id, seq),
            user_id,
            room_id,
            seq,
            welcome,
          })),
        );
        return;
      }
      case 'welcome_acknowledged':
        await this.welcomes.deleteOne({ _id: welcomeId(change.user_id, change.room_id, change.seq) });
        return;
    }
  }

  /** Which of these users were erased. */
  private async erasedAmong(userIds: string[]): Promise<Set<string>> {
    const docs = await this.erasedUsers.find({ _id: { $in: [...new Set(userIds)] } }).toArray();
    return new Set(docs.map((doc) => doc._id));
  }

  /** Counted, not incremented: a count that is set can be set again after a crash, an increment cannot. */
  private async recountMembers(roomId: string): Promise<void> {
    const member_count = await this.members.countDocuments({ room_id: roomId });
    await this.rooms.updateOne({ _id: roomId }, { $set: { member_count } });
  }
}

type Step = ChatMessage[] | Exclude<ReadModelChange, { kind: 'message_added' }>;

/** The changes in order, with each run of consecutive added messages gathered into one step. */
function* inSteps(changes: ReadModelChange[]): Generator<Step> {
  let run: ChatMessage[] = [];
  for (const change of changes) {
    if (change.kind === 'message_added') {
      run.push(change.message);
      continue;
    }
    if (run.length > 0) yield run;
    run = [];
    yield change;
  }
  if (run.length > 0) yield run;
}
