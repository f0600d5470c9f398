import { reject, type Rejection, type Result } from '@chat/contracts';
import type { SearchOrder, SortKey } from '../application/search-index';

/** A search as the client asks for it (the REST schema has checked types and formats). */
export interface SearchRequest {
  q: string;
  room_id?: string;
  from_user?: string;
  before?: string;
  after?: string;
  sort?: SearchOrder;
  limit?: number;
  cursor?: string;
}

/** A search the index can run, short of its rooms (see `application/search.ts`). */
export interface SearchPlan {
  text: string;
  roomId?: string;
  fromUser?: string;
  before?: string;
  after?: string;
  order: SearchOrder;
  limit: number;
  searchAfter?: SortKey;
}

export const DEFAULT_LIMIT = 20;
export const MAX_QUERY_LENGTH = 256;

const invalid = (message: string): { ok: false; error: Rejection } => ({
  ok: false,
  error: reject('invalid_request', message),
});

/** Newest first unless asked otherwise: in a chat, the latest mention is usually the one wanted. */
const DEFAULT_ORDER: SearchOrder = 'recent';

const isSortKey = (order: SearchOrder, key: unknown): key is SortKey => {
  if (!Array.isArray(key)) return false;
  const [first, ...rest] = key as unknown[];
  if (order === 'recent') return key.length === 2 && key.every((part) => typeof part === 'string');
  return key.length === 3 && typeof first === 'number' && rest.every((part) => typeof part === 'string');
};

/** A cursor is the order and the last hit's sort key, opaque to clients. */
export const encodeCursor = (order: SearchOrder, key: SortKey): string =>
  Buffer.from(JSON.stringify({ order, key })).toString('base64url');

const decodeCursor = (cursor: string, order: SearchOrder): SortKey | null => {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof decoded !== 'object' || decoded === null) return null;
    const { order: cursorOrder, key } = decoded as { order?: unknown; key?: unknown };
    return cursorOrder === order && isSortKey(order, key) ? key : null;
  } catch {
    return null;
  }
};

/**
 * The query rules: the text is trimmed, in Unicode normal form C (as stored messages are), with
 * runs of white space as one; it must hold a word (a letter or digit) and at most
 * MAX_QUERY_LENGTH characters. Times become UTC ISO 8601, as messages are stamped. A cursor must
 * come from a search in the same order.
 */
export const planSearch = (request: SearchRequest): Result<SearchPlan, Rejection> => {
  const text = request.q.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (!/[\p{L}\p{N}]/u.test(text)) return invalid('The query has no word to search for.');
  const length = Array.from(text).length;
  if (length > MAX_QUERY_LENGTH) {
    return invalid(`The query has ${length} characters; the limit is ${MAX_QUERY_LENGTH}.`);
  }
  const order = request.sort ?? DEFAULT_ORDER;
  const searchAfter = request.cursor === undefined ? undefined : decodeCursor(request.cursor, order);
  if (searchAfter === null) return invalid('The cursor does not belong to a search in this order.');
  const utc = (time: string | undefined) => (time === undefined ? undefined : new Date(time).toISOString());
  return {
    ok: true,
    value: {
      text,
      roomId: request.room_id,
      fromUser: request.from_user,
      before: utc(request.before),
      after: utc(request.after),
      order,
      limit: request.limit ?? DEFAULT_LIMIT,
      searchAfter,
    },
  };
};
