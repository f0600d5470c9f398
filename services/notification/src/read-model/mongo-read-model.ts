import type { DeadLetter, UnreadCount } from '@chat/contracts';
import {
  connectMongo,
  createIndexesOneByOne,
  bulkWriteInChunks,
  insertNew,
  isDuplicateKey,
  MongoAppliedRevisions,
} from '@chat/event-sourcing/mongo';
import { type AnyBulkWriteOperation, type Collection, type Db, type MongoClient } from 'mongodb';
import type {
  JoinedRoom,
  NotificationChange,
  NotificationReadModel,
  NotificationUpdate,
  PendingDelivery,
  StoredSubscription,
} from './port';
import { personOf } from './port';

interface MessageDoc {
  _id: string;
  room_id: string;
  seq: number;
  sender_id: string;
}
interface SubscriptionDoc extends Omit<StoredSubscription, 'subscription_id'> {
  _id: string;
}
interface WebhookDoc {
  _id: string;
  url: string;
  secret: string;
}
interface PairDoc {
  _id: string;
  user_id: string;
  room_id: string;
}
interface ReadMarkDoc extends PairDoc {
  seq: number;
}
interface DeadLetterDoc {
  _id: string;
  user_id: string;
  dead_letter: DeadLetter;
}
interface PendingDeliveryDoc {
  _id: string;
  requested_at: string;
  delivery: PendingDelivery;
}
interface PresenceDoc {
  _id: string;
  online: boolean;
  at: string;
}

/** Prefixed: in a fleet sharing one database, other services have collections of their own. */
const COLLECTIONS = {
  messages: 'notify_messages',
  subscriptions: 'notify_subscriptions',
  webhooks: 'notify_webhooks',
  mutes: 'notify_mutes',
  readMarks: 'notify_read_marks',
  deadLetters: 'notify_dead_letters',
  pendingDeliveries: 'notify_pending_deliveries',
  presence: 'notify_presence',
  erased: 'notify_erased_users',
  revisions: 'notify_stream_revisions',
} as const;

const pairId = (a: string, b: string) => JSON.stringify([a, b]);
const messageId = (roomId: string, seq: number) => JSON.stringify([roomId, seq]);

/** What a batch writes, per collection, in order: new messages are inserted, the rest upserted or deleted by `_id`. */
interface BatchWrites {
  messages: MessageDoc[];
  subscriptions: AnyBulkWriteOperation<SubscriptionDoc>[];
  webhooks: AnyBulkWriteOperation<WebhookDoc>[];
  mutes: AnyBulkWriteOperation<PairDoc>[];
  readMarks: AnyBulkWriteOperation<ReadMarkDoc>[];
  deadLetters: AnyBulkWriteOperation<DeadLetterDoc>[];
  pendingDeliveries: AnyBulkWriteOperation<PendingDeliveryDoc>[];
}

/**
 * The fleet's notification read model on MongoDB (locally FerretDB, without multi-document
 * transactions). `applyBatch` writes a batch's changes first, in a few bulk commands, and the
 * streams' revisions last. Every change is idempotent (inserts that skip what exists, upserts and
 * deletes keyed by natural ids, `$max` for read marks), so a batch interrupted by a crash is
 * applied again in full with the same result.
 */
export class MongoNotificationReadModel implements NotificationReadModel {
  private readonly messages: Collection<MessageDoc>;
  private readonly subscriptions: Collection<SubscriptionDoc>;
  private readonly webhooks: Collection<WebhookDoc>;
  private readonly mutes: Collection<PairDoc>;
  private readonly readMarks: Collection<ReadMarkDoc>;
  private readonly deadLetterDocs: Collection<DeadLetterDoc>;
  private readonly pendingDeliveryDocs: Collection<PendingDeliveryDoc>;
  private readonly presence: Collection<PresenceDoc>;
  private readonly erased: Collection<{ _id: string }>;
  private readonly revisions: MongoAppliedRevisions;

  private constructor(
    db: Db,
    private readonly client: MongoClient,
  ) {
    this.messages = db.collection(COLLECTIONS.messages);
    this.subscriptions = db.collection(COLLECTIONS.subscriptions);
    this.webhooks = db.collection(COLLECTIONS.webhooks);
    this.mutes = db.collection(COLLECTIONS.mutes);
    this.readMarks = db.collection(COLLECTIONS.readMarks);
    this.deadLetterDocs = db.collection(COLLECTIONS.deadLetters);
    this.pendingDeliveryDocs = db.collection(COLLECTIONS.pendingDeliveries);
    this.presence = db.collection(COLLECTIONS.presence);
    this.erased = db.collection(COLLECTIONS.erased);
    this.revisions = new MongoAppliedRevisions(db, COLLECTIONS.revisions);
  }

  /** Connects to `url` and uses `database` (default: the one named in the URL). */
  static async open(url: string, options: { database?: string } = {}): Promise<MongoNotificationReadModel> {
    return connectMongo(url, options, async (db, client) => {
      await createIndexesOneByOne(db, [
        [COLLECTIONS.messages, { name: 'messages_by_room', key: { room_id: 1, seq: 1 } }],
        [COLLECTIONS.subscriptions, { name: 'subscriptions_by_user', key: { user_id: 1 } }],
        [COLLECTIONS.deadLetters, { name: 'dead_letters_by_user', key: { user_id: 1 } }],
        [COLLECTIONS.pendingDeliveries, { name: 'pending_by_age', key: { requested_at: 1, _id: 1 } }],
      ]);
      return new MongoNotificationReadModel(db, client);
    });
  }

  async applyBatch(updates: NotificationUpdate[]): Promise<boolean[]> {
    return this.revisions.applyEach(updates, async (fresh) => {
      const changes = fresh.flatMap((update) => update.changes);
      const erasedNow = changes.flatMap((change) => (change.kind === 'user_erased' ? [change.user_id] : []));
      if (erasedNow.length > 0) await this.erase(erasedNow);
      const erased = new Set([
        ...erasedNow,
        ...(await this.erasedAmong(changes.flatMap((change) => personOf(change) ?? []))),
      ]);
      const writes = batchWritesOf(
        changes.filter((change) => {
          const person = personOf(change);
          return person === null || !erased.has(person);
        }),
      );
      // Each collection's writes depend on nothing but their own order.
      if (writes.messages.length > 0) await insertNew(this.messages, writes.messages);
      await bulkWriteInChunks(this.subscriptions, writes.subscriptions);
      await bulkWriteInChunks(this.webhooks, writes.webhooks);
      await bulkWriteInChunks(this.mutes, writes.mutes);
      await bulkWriteInChunks(this.readMarks, writes.readMarks);
      await bulkWriteInChunks(this.deadLetterDocs, writes.deadLetters);
      await bulkWriteInChunks(this.pendingDeliveryDocs, writes.pendingDeliveries);
    });
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async mutedAmong(roomId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const found = await this.mutes
      .find({ _id: { $in: userIds.map((user) => pairId(user, roomId)) } })
      .toArray();
    return new Set(found.map((mute) => mute.user_id));
  }

  async subscriptionsOf(userId: string): Promise<StoredSubscription[]> {
    const docs = await this.subscriptions.find({ user_id: userId }).toArray();
    return docs
      .map(({ _id, ...rest }) => ({ subscription_id: _id, ...rest }))
      .sort((a, b) =>
        a.created_at === b.created_at
          ? a.subscription_id.localeCompare(b.subscription_id)
          : a.created_at.localeCompare(b.created_at),
      );
  }

  async webhookOf(userId: string): Promise<{ url: string; secret: string } | null> {
    const doc = await this.webhooks.findOne({ _id: userId });
    return doc ? { url: doc.url, secret: doc.secret } : null;
  }

  async unreadCounts(userId: string, rooms: readonly JoinedRoom[]): Promise<UnreadCount[]> {
    if (rooms.length === 0) return [];
    const marks = await this.readMarks
      .find({ _id: { $in: rooms.map(({ room_id }) => pairId(userId, room_id)) } })
      .toArray();
    const markIn = new Map(marks.map((mark) => [mark.room_id, mark.seq]));
    const counts: UnreadCount[] = [];
    for (const { room_id, joined_after_seq } of rooms) {
      const from = Math.max(joined_after_seq, markIn.get(room_id) ?? 0);
      const last_seq = await this.lastSeq(room_id);
      // A room read to its end needs no count (on FerretDB, each count reads the whole collection).
      const unread =
        last_seq > from
          ? await this.messages.countDocuments({ room_id, seq: { $gt: from }, sender_id: { $ne: userId } })
          : 0;
      counts.push({ room_id, unread, last_seq });
    }
    return counts;
  }

  async deadLetters(userId: string): Promise<DeadLetter[]> {
    const docs = await this.deadLetterDocs.find({ user_id: userId }).toArray();
    return docs
      .map((doc) => doc.dead_letter)
      .sort(
        (a, b) => a.abandoned_at.localeCompare(b.abandoned_at) || a.delivery_id.localeCompare(b.delivery_id),
      );
  }

  async pendingDeliveries(after: PendingDelivery | null, limit: number): Promise<PendingDelivery[]> {
    const filter = after
      ? {
          $or: [
            { requested_at: { $gt: after.requested_at } },
            { requested_at: after.requested_at, _id: { $gt: after.delivery_id } },
          ],
        }
      : {};
    const docs = await this.pendingDeliveryDocs
      .find(filter)
      .sort({ requested_at: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => doc.delivery);
  }

  async setPresence(userId: string, online: boolean, at: string): Promise<void> {
    if ((await this.erasedAmong([userId])).size > 0) return;
    try {
      await this.presence.updateOne(
        { _id: userId, at: { $lte: at } },
        { $set: { online, at } },
        { upsert: true },
      );
    } catch (error) {
      // A newer status is stored: the filter missed it and the upsert collided with its _id.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const found = await this.presence.find({ _id: { $in: [...userIds] }, online: true }).toArray();
    return new Set(found.map((doc) => doc._id));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Marks the users erased, then deletes what is theirs. */
  private async erase(userIds: string[]): Promise<void> {
    await insertNew(
      this.erased,
      userIds.map((_id) => ({ _id })),
    );
    const theirs = { user_id: { $in: userIds } };
    await this.subscriptions.deleteMany(theirs);
    await this.webhooks.deleteMany({ _id: { $in: userIds } });
    await this.mutes.deleteMany(theirs);
    await this.readMarks.deleteMany(theirs);
    await this.deadLetterDocs.deleteMany(theirs);
    await this.presence.deleteMany({ _id: { $in: userIds } });
    await this.pendingDeliveryDocs.deleteMany({
      $or: [{ 'delivery.user_id': { $in: userIds } }, { 'delivery.payload.sender_id': { $in: userIds } }],
    });
  }

  /** Which of these users were erased. */
  private async erasedAmong(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const docs = await this.erased.find({ _id: { $in: [...new Set(userIds)] } }).toArray();
    return new Set(docs.map((doc) => doc._id));
  }

  private async lastSeq(roomId: string): Promise<number> {
    const [last] = await this.messages.find({ room_id: roomId }).sort({ seq: -1 }).limit(1).toArray();
    return last?.seq ?? 0;
  }
}

const upsert = <T extends { _id: string }>(
  _id: string,
  set: Partial<Omit<T, '_id'>>,
): AnyBulkWriteOperation<T> =>
  ({ updateOne: { filter: { _id }, update: { $set: set }, upsert: true } }) as AnyBulkWriteOperation<T>;

const remove = <T extends { _id: string }>(_id: string): AnyBulkWriteOperation<T> =>
  ({ deleteOne: { filter: { _id } } }) as AnyBulkWriteOperation<T>;

/** The batch's changes as writes per collection, each collection's in the order of the changes. */
const batchWritesOf = (changes: NotificationChange[]): BatchWrites => {
  const writes: BatchWrites = {
    messages: [],
    subscriptions: [],
    webhooks: [],
    mutes: [],
    readMarks: [],
    deadLetters: [],
    pendingDeliveries: [],
  };
  for (const change of changes) {
    switch (change.kind) {
      case 'message_posted': {
        const { room_id, seq, sender_id } = change;
        writes.messages.push({ _id: messageId(room_id, seq), room_id, seq, sender_id });
        break;
      }
      case 'subscription_added': {
        const { subscription_id, ...rest } = change.subscription;
        writes.subscriptions.push(upsert(subscription_id, rest));
        break;
      }
      case 'subscription_removed':
        writes.subscriptions.push(remove(change.subscription_id));
        break;
      case 'webhook_set':
        writes.webhooks.push(upsert(change.user_id, { url: change.url, secret: change.secret }));
        break;
      case 'webhook_removed':
        writes.webhooks.push(remove(change.user_id));
        break;
      case 'room_muted': {
        const { user_id, room_id } = change;
        writes.mutes.push(upsert(pairId(user_id, room_id), { user_id, room_id }));
        break;
      }
      case 'room_unmuted':
        writes.mutes.push(remove(pairId(change.user_id, change.room_id)));
        break;
      case 'read_marked': {
        const { user_id, room_id, seq } = change;
        writes.readMarks.push({
          updateOne: {
            filter: { _id: pairId(user_id, room_id) },
            update: { $set: { user_id, room_id }, $max: { seq } },
            upsert: true,
          },
        });
        break;
      }
      case 'dead_lettered':
        writes.deadLetters.push(
          upsert(change.dead_letter.delivery_id, {
            user_id: change.user_id,
            dead_letter: change.dead_letter,
          }),
        );
        break;
      case 'delivery_pending':
        writes.pendingDeliveries.push(
          upsert(change.delivery.delivery_id, {
            requested_at: change.delivery.requested_at,
            delivery: change.delivery,
          }),
        );
        break;
      case 'delivery_ended':
        writes.pendingDeliveries.push(remove(change.delivery_id));
        break;
    }
  }
  return writes;
};
