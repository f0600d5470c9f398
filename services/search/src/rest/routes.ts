import { ErrorBody, SearchPage, SearchQuery } from '@chat/contracts';
import { HttpRejection, principalOf, type HttpApp } from '@chat/runtime';
import { searchMessages, type SearchDeps } from '../application/search';

const errors = Object.fromEntries([400, 401, 403, 404].map((status) => [status, ErrorBody]));

/** `GET /api/search/messages` (the app authenticates every `/api` route). */
export const registerSearchRoutes = (app: HttpApp, deps: SearchDeps): void => {
  app.get(
    '/api/search/messages',
    {
      schema: {
        tags: ['search'],
        summary: "Search the messages of the caller's rooms",
        description:
          'Every word of `q` must occur (any case, whole words, accents kept). Only rooms the caller ' +
          'is a member of are searched; with `room_id`, a room they cannot read is refused as its ' +
          'history is. Edits and deletions show within a second.',
        querystring: SearchQuery,
        response: { 200: SearchPage, ...errors },
      },
    },
    async (request) => {
      const found = await searchMessages(deps, principalOf(request), request.query);
      if (!found.ok) throw new HttpRejection(found.error.code, found.error.message);
      return found.value;
    },
  );
};
