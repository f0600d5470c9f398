import {
  connectMongo,
  createIndexesOneByOne,
  insertNew,
  MongoAppliedRevisions,
} from '@chat/event-sourcing/mongo';
import { type Collection, type Db, type MongoClient } from 'mongodb';
import type { MediaReadModel, MediaReadModelUpdate } from './port';

/** An upload, keyed by its file id. */
interface UploadDoc {
  _id: string;
  /** Absent on uploads recorded before rooms' retention: they never expire by room. */
  room_id?: string;
  uploader_id: string;
  requested_at: string;
}

/** Prefixed: in a fleet sharing one database, other services have collections of their own. */
const COLLECTIONS = {
  uploads: 'media_uploads',
  erased: 'media_erased_users',
  revisions: 'media_stream_revisions',
} as const;

/**
 * The fleet's media read model on MongoDB (locally FerretDB, without multi-document
 * transactions). As in the message service's read model, `applyBatch` writes the batch's uploads
 * first, in one insert, and the streams' revisions last, so a batch interrupted by a crash is
 * applied again in full: an upload inserted the first time is then skipped as a duplicate.
 */
export class MongoMediaReadModel implements MediaReadModel {
  private readonly uploads: Collection<UploadDoc>;
  private readonly erased: Collection<{ _id: string }>;
  private readonly revisions: MongoAppliedRevisions;

  private constructor(
    db: Db,
    private readonly client: MongoClient,
  ) {
    this.uploads = db.collection(COLLECTIONS.uploads);
    this.erased = db.collection(COLLECTIONS.erased);
    this.revisions = new MongoAppliedRevisions(db, COLLECTIONS.revisions);
  }

  /** Connects to `url` and uses `database` (default: the one named in the URL). */
  static async open(url: string, options: { database?: string } = {}): Promise<MongoMediaReadModel> {
    return connectMongo(url, options, async (db, client) => {
      await createIndexesOneByOne(db, [
        [COLLECTIONS.uploads, { name: 'uploads_by_uploader', key: { uploader_id: 1, requested_at: 1 } }],
        [COLLECTIONS.uploads, { name: 'uploads_by_room', key: { room_id: 1, requested_at: 1 } }],
      ]);
      return new MongoMediaReadModel(db, client);
    });
  }

  async applyBatch(updates: MediaReadModelUpdate[]): Promise<boolean[]> {
    return this.revisions.applyEach(updates, async (fresh) => {
      const changes = fresh.flatMap((update) => update.changes);
      const erasedNow = changes.flatMap((change) => (change.kind === 'user_erased' ? [change.user_id] : []));
      if (erasedNow.length > 0) {
        await insertNew(
          this.erased,
          erasedNow.map((_id) => ({ _id })),
        );
        await this.uploads.deleteMany({ uploader_id: { $in: erasedNow } });
      }
      const expired = changes.flatMap((change) => (change.kind === 'uploads_expired' ? change.file_ids : []));
      if (expired.length > 0) await this.uploads.deleteMany({ _id: { $in: expired } });
      const requested = changes.flatMap((change) => (change.kind === 'upload_requested' ? [change] : []));
      const erased = new Set(
        (await this.erased.find({ _id: { $in: requested.map((each) => each.uploader_id) } }).toArray()).map(
          (doc) => doc._id,
        ),
      );
      const uploads = requested
        .filter((each) => !erased.has(each.uploader_id))
        .map(({ file_id, room_id, uploader_id, requested_at }) => ({
          _id: file_id,
          room_id,
          uploader_id,
          requested_at,
        }));
      if (uploads.length > 0) await insertNew(this.uploads, uploads);
    });
  }

  async appliedRevision(stream: string): Promise<number | null> {
    return this.revisions.appliedRevision(stream);
  }

  async countUploadsSince(uploaderId: string, since: Date): Promise<number> {
    return this.uploads.countDocuments({
      uploader_id: uploaderId,
      requested_at: { $gte: since.toISOString() },
    });
  }

  async uploadsBy(uploaderId: string): Promise<string[]> {
    const docs = await this.uploads
      .find({ uploader_id: uploaderId }, { projection: { _id: 1 } })
      .sort({ requested_at: 1 })
      .toArray();
    return docs.map((doc) => doc._id);
  }

  async uploadsInRoomBefore(roomId: string, before: Date, limit: number): Promise<string[]> {
    const docs = await this.uploads
      .find({ room_id: roomId, requested_at: { $lt: before.toISOString() } }, { projection: { _id: 1 } })
      .sort({ requested_at: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => doc._id);
  }

  async isErased(userId: string): Promise<boolean> {
    return (await this.erased.countDocuments({ _id: userId }, { limit: 1 })) > 0;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
