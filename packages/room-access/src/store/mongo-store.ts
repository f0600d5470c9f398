import type { RoomAccess, RoomAccessMember } from '@chat/contracts';
import {
  bulkWriteInChunks,
  connectMongo,
  createIndexesOneByOne,
  isDuplicateKey,
} from '@chat/event-sourcing/mongo';
import {
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type IndexDescription,
  type MongoClient,
} from 'mongodb';
import { newestPerRoom } from './newest-per-room';
import type { ReadOffset, RoomAccessStore, UserRoom } from './port';

/** A room's newest record, as published, keyed by room id. */
interface RoomAccessDoc extends RoomAccess {
  _id: string;
}

/** How far one partition was read, keyed by partition. */
interface ReadOffsetDoc {
  _id: number;
  next_offset: number;
}

interface GenerationDoc {
  _id: 'generation';
  id: string;
}

/**
 * The store's collections, prefixed with the name of the service that owns it: services may share
 * a database, and each keeps its own view (its own generation, its own consumer group).
 */
const collectionsOf = (owner: string) => ({
  rooms: `${owner}_room_access`,
  readOffsets: `${owner}_room_access_read_offsets`,
  generation: `${owner}_room_access_generation`,
});

/**
 * One document per room, its members an array with a multikey index, rather than a collection
 * of member documents: replacing a room's state is then one single-document write, atomic on
 * FerretDB too (no multi-document transactions there), so a crash or a concurrent writer can
 * never leave members of two states of a room mixed. MongoDB rewrites only the index keys that
 * changed; documents cap a room at roughly 100,000 members, far above what one Kafka record holds.
 * FerretDB 1.24 keeps the index but answers only a filter that is exactly `{ _id }` from SQLite:
 * there, `roomsOf` (and every other filter) reads the whole collection.
 */
const indexesOf = (rooms: string): [collection: string, index: IndexDescription][] => [
  [rooms, { name: 'room_access_by_member', key: { 'members.user_id': 1 } }],
];

/**
 * Runs `write` again while it fails on a duplicate key: it lost an insert race to a concurrent
 * writer (MongoDB retries a lost upsert itself, FerretDB never does). Each such failure means one
 * more of the at most `inserts` documents it may insert exists now, so it cannot fail more often.
 */
const retryingLostInsertRaces = async (inserts: number, write: () => Promise<unknown>): Promise<void> => {
  for (let lost = 0; ; lost++) {
    try {
      await write();
      return;
    } catch (error) {
      if (!isDuplicateKey(error) || lost >= inserts) throw error;
    }
  }
};

/**
 * Replaces the room's state if the stored one is older, even if another writer changed it since
 * it was read. Atomic on MongoDB; FerretDB 1.24 checks the filter and writes in separate steps, so
 * there two writers replacing one room at the same moment can leave the older state.
 */
const replaceIfOlder = (access: RoomAccess): AnyBulkWriteOperation<RoomAccessDoc> => ({
  replaceOne: { filter: { _id: access.room_id, revision: { $lt: access.revision } }, replacement: access },
});

const advance = ({ partition, nextOffset }: ReadOffset): AnyBulkWriteOperation<ReadOffsetDoc> => ({
  updateOne: { filter: { _id: partition }, update: { $max: { next_offset: nextOffset } }, upsert: true },
});

/** Orders by room id as the SQLite store does (code units; room ids are ASCII). */
const byRoomId = (a: UserRoom, b: UserRoom): number =>
  a.room_id < b.room_id ? -1 : a.room_id > b.room_id ? 1 : 0;

/**
 * The room access store on MongoDB (locally FerretDB, without multi-document transactions).
 * `save` writes the records first and the read offsets last, each write repeatable without
 * effect (inserts of rooms never seen, guarded replaces, `$max`): a batch interrupted by a crash
 * is read again from the offsets saved before it, and written again with the same result.
 */
export class MongoRoomAccessStore implements RoomAccessStore {
  private readonly rooms: Collection<RoomAccessDoc>;
  private readonly offsets: Collection<ReadOffsetDoc>;

  private constructor(
    db: Db,
    collections: ReturnType<typeof collectionsOf>,
    private readonly generationId: string,
    /** Set when this store opened the client, and so closes it. */
    private readonly ownClient?: MongoClient,
  ) {
    this.rooms = db.collection(collections.rooms);
    this.offsets = db.collection(collections.readOffsets);
  }

  /**
   * Connects to `url` and uses `database` (default: the one named in the URL), in collections
   * named after `owner`, the service keeping this view.
   */
  static async open(
    url: string,
    options: { owner: string; database?: string },
  ): Promise<MongoRoomAccessStore> {
    return connectMongo(url, options, (db, client) =>
      MongoRoomAccessStore.prepare(db, options.owner, client),
    );
  }

  /** On a database of a client shared with others (a service's); `close` leaves that client open. */
  static async on(db: Db, owner: string): Promise<MongoRoomAccessStore> {
    return MongoRoomAccessStore.prepare(db, owner);
  }

  private static async prepare(
    db: Db,
    owner: string,
    ownClient?: MongoClient,
  ): Promise<MongoRoomAccessStore> {
    const collections = collectionsOf(owner);
    await createIndexesOneByOne(db, indexesOf(collections.rooms));
    const generations = db.collection<GenerationDoc>(collections.generation);
    // The first open of an empty database names its generation; every later open finds it.
    await retryingLostInsertRaces(1, () =>
      generations.updateOne(
        { _id: 'generation' },
        { $setOnInsert: { id: crypto.randomUUID() } },
        { upsert: true },
      ),
    );
    const generation = await generations.findOne({ _id: 'generation' });
    if (!generation) throw new Error('The room access store lost its generation while opening.');
    return new MongoRoomAccessStore(db, collections, generation.id, ownClient);
  }

  async generation(): Promise<string> {
    return this.generationId;
  }

  async save(records: RoomAccess[], read: ReadOffset[]): Promise<void> {
    const rooms = newestPerRoom(records);
    if (rooms.length > 0) await retryingLostInsertRaces(rooms.length, () => this.saveRooms(rooms));
    if (read.length > 0) {
      await retryingLostInsertRaces(read.length, () => bulkWriteInChunks(this.offsets, read.map(advance)));
    }
  }

  /**
   * Writes each record newer than its room's stored state, in a few bulk commands: one read of
   * the stored revisions, one insert of the rooms never seen, then guarded replaces of the older
   * states, so a record already stored costs no write. (A guarded upsert would insert or replace
   * in one statement, but it fails with a duplicate key on a newer state, and FerretDB 1.24 then
   * stops even an unordered bulk.) On FerretDB each guarded replace reads the whole collection.
   */
  private async saveRooms(rooms: RoomAccess[]): Promise<void> {
    const storedDocs = await this.rooms
      .find<{ _id: string; revision: number }>(
        { _id: { $in: rooms.map((access) => access.room_id) } },
        { projection: { revision: 1 } },
      )
      .toArray();
    const stored = new Map(storedDocs.map((doc) => [doc._id, doc.revision]));
    const unseen = rooms.filter((access) => !stored.has(access.room_id));
    const newer = rooms.filter((access) => {
      const revision = stored.get(access.room_id);
      return revision !== undefined && revision < access.revision;
    });
    if (unseen.length > 0) {
      await this.rooms.insertMany(
        unseen.map((access) => ({ _id: access.room_id, ...access })),
        { ordered: false },
      );
    }
    await bulkWriteInChunks(this.rooms, newer.map(replaceIfOlder));
  }

  async get(roomId: string): Promise<RoomAccess | null> {
    const doc = await this.rooms.findOne({ _id: roomId });
    if (!doc) return null;
    const { _id, ...access } = doc;
    return access;
  }

  async roomsOf(userId: string): Promise<UserRoom[]> {
    // FerretDB 1.24 has neither `$elemMatch` nor positional (`members.$`) projections, and its
    // `$project` takes no field paths (`'$_id'` comes back as that string): unwind, match again,
    // and shape here.
    const found = await this.rooms
      .aggregate<{ _id: string; members: RoomAccessMember }>([
        { $match: { 'members.user_id': userId, deleted: false } },
        { $project: { members: 1 } },
        { $unwind: '$members' },
        { $match: { 'members.user_id': userId } },
      ])
      .toArray();
    return found
      .map(({ _id, members: { role, joined_after_seq } }) => ({ room_id: _id, role, joined_after_seq }))
      .sort(byRoomId);
  }

  async readOffsets(): Promise<ReadOffset[]> {
    const docs = await this.offsets.find().toArray();
    return docs
      .map((doc) => ({ partition: doc._id, nextOffset: doc.next_offset }))
      .sort((a, b) => a.partition - b.partition);
  }

  async close(): Promise<void> {
    await this.ownClient?.close();
  }
}
