import {
  reject,
  type AuditPage,
  type AuditQuery,
  type AuditVerification,
  type Rejection,
  type Result,
} from '@chat/contracts';
import { ChainVerification } from '../domain/chain';
import type { AuditFilter, AuditReadModel } from './port';

/** Who asks: an administrator reads the whole log, anyone else only the rooms they own. */
export interface AuditViewer {
  userId: string;
  isAdmin: boolean;
}

/** Which rooms a user owns, from the message service's read model. */
export interface RoomOwnership {
  /** The rooms (not deleted) the user owns now. */
  roomsOwnedBy(userId: string): Promise<string[]>;
  ownsRoom(roomId: string, userId: string): Promise<boolean>;
}

const DEFAULT_LIMIT = 50;
/** Records read per page by `verify`. */
const VERIFY_PAGE = 1_000;

/** A cursor is where the page ended: opaque to clients, so its form may change. */
const encodeCursor = (seq: number) => Buffer.from(JSON.stringify({ before_seq: seq })).toString('base64url');

const decodeCursor = (cursor: string): number | null => {
  try {
    const { before_seq } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      before_seq?: unknown;
    };
    return Number.isSafeInteger(before_seq) && (before_seq as number) > 0 ? (before_seq as number) : null;
  } catch {
    return null;
  }
};

const notAllowed = (): Result<never> => ({
  ok: false,
  error: reject('forbidden', 'Only administrators, and owners for their own rooms, may read the audit log.'),
});

/** The rooms the viewer may read records of: all (undefined) for administrators. */
const roomsReadableBy = async (
  viewer: AuditViewer,
  roomId: string | undefined,
  ownership: RoomOwnership,
): Promise<Result<readonly string[] | undefined>> => {
  if (viewer.isAdmin) return { ok: true, value: roomId === undefined ? undefined : [roomId] };
  if (roomId !== undefined) {
    return (await ownership.ownsRoom(roomId, viewer.userId)) ? { ok: true, value: [roomId] } : notAllowed();
  }
  const owned = await ownership.roomsOwnedBy(viewer.userId);
  return owned.length > 0 ? { ok: true, value: owned } : notAllowed();
};

/** A page of the records the viewer may read, newest first, narrowed by the query. */
export const queryAuditLog = async (
  readModel: AuditReadModel,
  ownership: RoomOwnership,
  viewer: AuditViewer,
  query: AuditQuery,
): Promise<Result<AuditPage, Rejection>> => {
  const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (beforeSeq === null) return { ok: false, error: reject('invalid_request', 'Unknown cursor.') };
  const rooms = await roomsReadableBy(viewer, query.room_id, ownership);
  if (!rooms.ok) return rooms;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const filter: AuditFilter = {
    ...(rooms.value ? { roomIds: rooms.value } : {}),
    ...(query.actor !== undefined ? { actor: query.actor } : {}),
    ...(query.action !== undefined ? { action: query.action } : {}),
    ...(query.since !== undefined ? { since: new Date(query.since).toISOString() } : {}),
    ...(query.until !== undefined ? { until: new Date(query.until).toISOString() } : {}),
    ...(beforeSeq !== undefined ? { beforeSeq } : {}),
  };
  // One more than asked: whether it comes back says if there is another page.
  const records = await readModel.query(filter, limit + 1);
  const page = records.slice(0, limit);
  return {
    ok: true,
    value: {
      records: page,
      next_cursor: records.length > limit ? encodeCursor(page.at(-1)!.seq) : null,
    },
  };
};

/** Recomputes the whole chain over the stored records (administrators only). */
export const verifyAuditLog = async (
  readModel: AuditReadModel,
  viewer: AuditViewer,
): Promise<Result<AuditVerification, Rejection>> => {
  if (!viewer.isAdmin) {
    return { ok: false, error: reject('forbidden', 'Only administrators may verify the audit log.') };
  }
  const verification = new ChainVerification();
  for (let from = 1; ;) {
    const page = await readModel.chain(from, VERIFY_PAGE);
    for (const record of page) verification.add(record);
    if (page.length < VERIFY_PAGE) return { ok: true, value: verification.result() };
    from = page.at(-1)!.seq + 1;
  }
};
