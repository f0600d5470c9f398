import { ErrorBody, PresenceUserParams, UserPresence } from '@chat/contracts';
import type { HttpApp } from '@chat/runtime';
import type { PresenceStore } from '../store/port';
import { presenceAt, unknownUser, type PresenceRules } from './presence';

/** `GET /api/presence/users/{user_id}` (the app authenticates every `/api` route). */
export const registerUserPresenceRoutes = (
  app: HttpApp,
  deps: { store: PresenceStore; rules: PresenceRules },
): void => {
  app.get(
    '/api/presence/users/:user_id',
    {
      schema: {
        tags: ['presence'],
        summary: "A user's presence",
        description:
          'Any signed-in user may ask about any user. A user never seen is `offline` with ' +
          '`last_seen: null`; one appearing offline shows no devices.',
        params: PresenceUserParams,
        response: { 200: UserPresence, 401: ErrorBody },
      },
    },
    async (request) => {
      const { user_id } = request.params;
      const state = (await deps.store.getUser(user_id)) ?? unknownUser(user_id);
      return presenceAt(state, Date.now(), deps.rules);
    },
  );
};
