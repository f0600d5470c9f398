import type { DeadLetter, UnreadCount } from '@chat/contracts';
import { connectMongo, createIndexesOneByOne, MongoAppliedRevisions } from '@chat/event-sourcing/mongo';
import { MongoServerError, type Collection, type Db, type MongoClient } from 'mongodb';
import type { NotificationChange, NotificationReadModel, StoredSubscription, StreamRevision } from './port';

interface RoomDoc {
  _id: string;
  deleted: boolean;
}
interface MemberDoc {
  _id: string;
  room_id: string;
  user_id: string;
  joined_after_seq: number;
}
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
interface PresenceDoc {
  _id: string;
  online: boolean;
  at: string;
}

/** Prefixed: in a fleet sharing one database, other services have their own `rooms`. */
const COLLECTIONS = {
  rooms: 'notify_rooms',
  members: 'notify_members',
  messages: 'notify_messages',
  subscriptions: 'notify_subscriptions',
  webhooks: 'notify_webhooks',
  mutes: 'notify_mutes',
  readMarks: 'notify_read_marks',
  deadLetters: 'notify_dead_letters',
  presence: 'notify_presence',
  revisions: 'notify_stream_revisions',
} as const;

const pairId = (a: string, b: string) => JSON.stringify([a, b]);
const messageId = (roomId: string, seq: number) => JSON.stringify([roomId, seq]);
const DUPLICATE_KEY = 11000;

/**
 * The fleet's notification read model on MongoDB (locally FerretDB, without multi-document
 * transactions). `apply` writes idempotent changes first (upserts keyed by natural ids, `$max`
 * for read marks) and the stream's revision last, so an event interrupted by a crash is applied
 * again in full with the same result.
 */
export class MongoNotificationReadModel implements NotificationReadModel {
  private readonly rooms: Collection<RoomDoc>;
  private readonly members: Collection<MemberDoc>;
  private readonly messages: Collection<MessageDoc>;
  private readonly subscriptions: Collection<SubscriptionDoc>;
  private readonly webhooks: Collection<WebhookDoc>;
  private readonly mutes: Collection<PairDoc>;
  private readonly readMarks: Collection<ReadMarkDoc>;
  private readonly deadLetterDocs: Collection<DeadLetterDoc>;
  private readonly presence: Collection<PresenceDoc>;
  private readonly revisions: MongoAppliedRevisions;

  private constructor(
    db: Db,
    private readonly client: MongoClient,
  ) {
    this.rooms = db.collection(COLLECTIONS.rooms);
    this.members = db.collection(COLLECTIONS.members);
    this.messages = db.collection(COLLECTIONS.messages);
    this.subscriptions = db.collection(COLLECTIONS.subscriptions);
    this.webhooks = db.collection(COLLECTIONS.webhooks);
    this.mutes = db.collection(COLLECTIONS.mutes);
    this.readMarks = db.collection(COLLECTIONS.readMarks);
    this.deadLetterDocs = db.collection(COLLECTIONS.deadLetters);
    this.presence = db.collection(COLLECTIONS.presence);
    this.revisions = new MongoAppliedRevisions(db, COLLECTIONS.revisions);
  }

  /** Connects to `url` and uses `database` (default: the one named in the URL). */
  static async open(url: string, options: { database?: string } = {}): Promise<MongoNotificationReadModel> {
    return connectMongo(url, options, async (db, client) => {
      await createIndexesOneByOne(db, [
        [COLLECTIONS.members, { name: 'members_by_room', key: { room_id: 1 } }],
        [COLLECTIONS.members, { name: 'members_by_user', key: { user_id: 1 } }],
        [COLLECTIONS.messages, { name: 'messages_by_room', key: { room_id: 1, seq: 1 } }],
        [COLLECTIONS.subscriptions, { name: 'subscriptions_by_user', key: { user_id: 1 } }],
        [COLLECTIONS.deadLetters, { name: 'dead_letters_by_user', key: { user_id: 1 } }],
      ]);
      return new MongoNotificationReadModel(db, client);
    });
  }

  async apply(at: StreamRevision, changes: NotificationChange[]): Promise<boolean> {
    const [applied] = await this.revisions.applyEach([{ at, changes }], async () => {
      for (const change of changes) await this.store(change);
    });
    return applied!;
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async roomMembers(roomId: string): Promise<string[]> {
    const room = await this.rooms.findOne({ _id: roomId });
    if (!room || room.deleted) return [];
    const members = await this.members.find({ room_id: roomId }).toArray();
    return members.map((member) => member.user_id).sort();
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    const room = await this.rooms.findOne({ _id: roomId });
    if (!room || room.deleted) return false;
    return (await this.members.findOne({ _id: pairId(roomId, userId) })) !== null;
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

  async unreadCounts(userId: string): Promise<UnreadCount[]> {
    const memberships = await this.members.find({ user_id: userId }).toArray();
    const counts: UnreadCount[] = [];
    for (const member of memberships.sort((a, b) => a.room_id.localeCompare(b.room_id))) {
      const room = await this.rooms.findOne({ _id: member.room_id });
      if (!room || room.deleted) continue;
      const mark = await this.readMarks.findOne({ _id: pairId(userId, member.room_id) });
      const from = Math.max(member.joined_after_seq, mark?.seq ?? 0);
      const [unread, last_seq] = await Promise.all([
        this.messages.countDocuments({
          room_id: member.room_id,
          seq: { $gt: from },
          sender_id: { $ne: userId },
        }),
        this.lastSeq(member.room_id),
      ]);
      counts.push({ room_id: member.room_id, unread, last_seq });
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

  async setPresence(userId: string, online: boolean, at: string): Promise<void> {
    try {
      await this.presence.updateOne(
        { _id: userId, at: { $lte: at } },
        { $set: { online, at } },
        { upsert: true },
      );
    } catch (error) {
      // A newer status is stored: the filter missed it and the upsert collided with its _id.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
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

  private async lastSeq(roomId: string): Promise<number> {
    const [last] = await this.messages.find({ room_id: roomId }).sort({ seq: -1 }).limit(1).toArray();
    return last?.seq ?? 0;
  }

  private async store(change: NotificationChange): Promise<void> {
    switch (change.kind) {
      case 'room_created':
        await this.rooms.updateOne(
          { _id: change.room_id },
          { $setOnInsert: { deleted: false } },
          { upsert: true },
        );
        return;
      case 'room_deleted':
        await this.rooms.updateOne({ _id: change.room_id }, { $set: { deleted: true } });
        return;
      case 'member_added': {
        const { room_id, user_id } = change;
        const joined_after_seq = await this.lastSeq(room_id);
        await this.members.updateOne(
          { _id: pairId(room_id, user_id) },
          { $setOnInsert: { room_id, user_id, joined_after_seq } },
          { upsert: true },
        );
        return;
      }
      case 'member_removed':
        await this.members.deleteOne({ _id: pairId(change.room_id, change.user_id) });
        return;
      case 'message_posted': {
        const { room_id, seq, sender_id } = change;
        await this.messages.updateOne(
          { _id: messageId(room_id, seq) },
          { $set: { room_id, seq, sender_id } },
          { upsert: true },
        );
        return;
      }
      case 'subscription_added': {
        const { subscription_id, ...rest } = change.subscription;
        await this.subscriptions.updateOne({ _id: subscription_id }, { $set: rest }, { upsert: true });
        return;
      }
      case 'subscription_removed':
        await this.subscriptions.deleteOne({ _id: change.subscription_id });
        return;
      case 'webhook_set':
        await this.webhooks.updateOne(
          { _id: change.user_id },
          { $set: { url: change.url, secret: change.secret } },
          { upsert: true },
        );
        return;
      case 'webhook_removed':
        await this.webhooks.deleteOne({ _id: change.user_id });
        return;
      case 'room_muted': {
        const { user_id, room_id } = change;
        await this.mutes.updateOne(
          { _id: pairId(user_id, room_id) },
          { $set: { user_id, room_id } },
          { upsert: true },
        );
        return;
      }
      case 'room_unmuted':
        await this.mutes.deleteOne({ _id: pairId(change.user_id, change.room_id) });
        return;
      case 'read_marked': {
        const { user_id, room_id, seq } = change;
        await this.readMarks.updateOne(
          { _id: pairId(user_id, room_id) },
          { $set: { user_id, room_id }, $max: { seq } },
          { upsert: true },
        );
        return;
      }
      case 'dead_lettered':
        await this.deadLetterDocs.updateOne(
          { _id: change.dead_letter.delivery_id },
          { $set: { user_id: change.user_id, dead_letter: change.dead_letter } },
          { upsert: true },
        );
        return;
    }
  }
}
