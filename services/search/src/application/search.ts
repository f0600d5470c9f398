import type { Rejection, Result, SearchPage } from '@chat/contracts';
import { refuseNonMember, type RoomAccessView, type Viewer } from '@chat/room-access';
import { renderHighlight } from '../domain/highlight';
import { encodeCursor, planSearch, type SearchRequest } from '../domain/query';
import type { SearchIndex } from './search-index';

export interface SearchDeps {
  index: SearchIndex;
  access: RoomAccessView;
}

/**
 * The membership filter. Only members find a room's messages — public rooms included, since only
 * members read a room's history — so a search covers exactly the viewer's rooms (never a deleted
 * one). Asked for one room, search answers as history does, by the one rule of `@chat/room-access`.
 */
export const roomsToSearch = async (
  access: Pick<RoomAccessView, 'roomsOf' | 'decide'>,
  viewer: Viewer,
  roomId: string | undefined,
): Promise<Result<string[], Rejection>> => {
  if (roomId === undefined) {
    return { ok: true, value: (await access.roomsOf(viewer.userId)).map((room) => room.room_id) };
  }
  const { refusal } = await access.decide(roomId, (room) => refuseNonMember(room, viewer));
  return refusal ? { ok: false, error: refusal } : { ok: true, value: [roomId] };
};

/**
 * Searches the messages of the viewer's rooms: the plan from the query rules, the rooms from the
 * membership filter, one page from the index (one hit more than asked, to know whether another
 * page follows). The rooms go into the index's query, so nothing of another room leaves it.
 */
export const searchMessages = async (
  { index, access }: SearchDeps,
  viewer: Viewer,
  request: SearchRequest,
): Promise<Result<SearchPage, Rejection>> => {
  const planned = planSearch(request);
  if (!planned.ok) return planned;
  const { roomId, ...plan } = planned.value;
  const rooms = await roomsToSearch(access, viewer, roomId);
  if (!rooms.ok) return rooms;
  if (rooms.value.length === 0) return { ok: true, value: { hits: [], next_cursor: null } };

  const found = await index.search({ ...plan, rooms: rooms.value, limit: plan.limit + 1 });
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
