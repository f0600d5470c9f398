import type { Rejection, Result, SearchPage } from '@chat/contracts';
import { renderHighlight } from '../domain/highlight';
import { encodeCursor, planSearch, type SearchRequest } from '../domain/query';
import { refuseUnsearchable } from '../domain/scope';
import type { SearchIndex } from './search-index';

/**
 * Searches the messages of the caller's rooms: the plan from the query rules, the rooms from the
 * membership filter, one page from the index (one hit more than asked, to know whether another
 * page follows).
 */
export const searchMessages = async (
  index: SearchIndex,
  userId: string,
  request: SearchRequest,
): Promise<Result<SearchPage, Rejection>> => {
  const planned = planSearch(request);
  if (!planned.ok) return planned;
  const { roomId, ...plan } = planned.value;
  let rooms: string[];
  if (roomId === undefined) {
    rooms = await index.memberRooms(userId);
  } else {
    const refusal = refuseUnsearchable(await index.roomAccess(roomId, userId));
    if (refusal) return { ok: false, error: refusal };
    rooms = [roomId];
  }
  if (rooms.length === 0) return { ok: true, value: { hits: [], next_cursor: null } };

  const found = await index.search({ ...plan, rooms, limit: plan.limit + 1 });
  const page = found.slice(0, plan.limit);
  const last = page.at(-1);
  return {
    ok: true,
    value: {
      hits: page.map(({ message, marked }) => ({ ...message, highlight: renderHighlight(marked) })),
      next_cursor: found.length > plan.limit && last ? encodeCursor(plan.order, last.sortKey) : null,
    },
  };
};
