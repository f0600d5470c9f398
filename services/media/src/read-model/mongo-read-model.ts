import { connectMongo, createIndexesOneByOne, MongoAppliedRevisions } from '@chat/event-sourcing/mongo';
import type { Collection, Db, MongoClient } from 'mongodb';
import type { RoomAccess } from '../access/room-access';
import type { MediaReadModel, MediaReadModelChange, StreamRevision } from './port';

interface RoomDoc {
  _id: string;
  private: boolean;
  deleted: boolean;
}

/** A membership, keyed by room and user: access checks are `_id` lookups, which FerretDB indexes. */
interface MemberDoc {
  _id: string;
  room_id: string;
  user_id: string;
}

interface UploadDoc {
  _id: string;
  uploader_id: string;
  requested_at: string;
}

/** Prefixed: in a fleet sharing one database, the message service's read model has its own `rooms`. */
const COLLECTIONS = {
  rooms: 'media_rooms',
  members: 'media_members',
  uploads: 'media_uploads',
  revisions: 'media_stream_revisions',
} as const;

const memberId = (roomId: string, userId: string) => JSON.stringify([roomId, userId]);

/**
 * The fleet's media read model on MongoDB (locally FerretDB, without multi-document
 * transactions). As in the message service's read model, `apply` writes idempotent changes first
 * and the stream's revision last, so an event interrupted by a crash is applied again in full.
 */
export class MongoMediaReadModel implements MediaReadModel {
  private readonly rooms: Collection<RoomDoc>;
  private readonly members: Collection<MemberDoc>;
  private readonly uploads: Collection<UploadDoc>;
  private readonly revisions: MongoAppliedRevisions;

  private constructor(
    db: Db,
    private readonly client: MongoClient,
  ) {
    this.rooms = db.collection(COLLECTIONS.rooms);
    this.members = db.collection(COLLECTIONS.members);
    this.uploads = db.collection(COLLECTIONS.uploads);
    this.revisions = new MongoAppliedRevisions(db, COLLECTIONS.revisions);
  }

  /** Connects to `url` and uses `database` (default: the one named in the URL). */
  static async open(url: string, options: { database?: string } = {}): Promise<MongoMediaReadModel> {
    return connectMongo(url, options, async (db, client) => {
      await createIndexesOneByOne(db, [
        [COLLECTIONS.uploads, { name: 'uploads_by_uploader', key: { uploader_id: 1, requested_at: 1 } }],
      ]);
      return new MongoMediaReadModel(db, client);
    });
  }

  async apply(at: StreamRevision, changes: MediaReadModelChange[]): Promise<boolean> {
    const [applied] = await this.revisions.applyEach([{ at, changes }], async () => {
      for (const change of changes) await this.store(change);
    });
    return applied!;
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async roomAccess(roomId: string, userId: string): Promise<RoomAccess | null> {
    const room = await this.rooms.findOne({ _id: roomId });
    if (!room || room.deleted) return null;
    const member = await this.members.findOne({ _id: memberId(roomId, userId) });
    return { private: room.private, member: member !== null };
  }

  async countUploadsSince(uploaderId: string, since: Date): Promise<number> {
    return this.uploads.countDocuments({
      uploader_id: uploaderId,
      requested_at: { $gte: since.toISOString() },
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async store(change: MediaReadModelChange): Promise<void> {
    switch (change.kind) {
      case 'room_created':
        await this.rooms.updateOne(
          { _id: change.room_id },
          { $set: { private: change.private }, $setOnInsert: { deleted: false } },
          { upsert: true },
        );
        return;
      case 'room_updated':
        await this.rooms.updateOne({ _id: change.room_id }, { $set: { private: change.private } });
        return;
      case 'room_deleted':
        await this.rooms.updateOne({ _id: change.room_id }, { $set: { deleted: true } });
        return;
      case 'member_added': {
        const { room_id, user_id } = change;
        await this.members.updateOne(
          { _id: memberId(room_id, user_id) },
          { $set: { room_id, user_id } },
          { upsert: true },
        );
        return;
      }
      case 'member_removed':
        await this.members.deleteOne({ _id: memberId(change.room_id, change.user_id) });
        return;
      case 'upload_requested': {
        const { file_id, uploader_id, requested_at } = change;
        await this.uploads.updateOne(
          { _id: file_id },
          { $set: { uploader_id, requested_at } },
          { upsert: true },
        );
        return;
      }
    }
  }
}
