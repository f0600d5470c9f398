import { ErrorBody, RoomParams, RoomPresence } from '@chat/contracts';
import { refuseNonMember, type RoomAccessView } from '@chat/room-access';
import { HttpRejection, principalOf, type HttpApp } from '@chat/runtime';
import type { PresenceStore } from '../store/port';
import { presenceAt, unknownUser, type PresenceRules } from '../users/presence';

const errors = Object.fromEntries([401, 403, 404].map((status) => [status, ErrorBody]));

/**
 * `GET /api/presence/room/{room_id}` (the app authenticates every `/api` route). Members only,
 * public rooms included, as with history: who is around is part of a room's content.
 */
export const registerRoomPresenceRoutes = (
  app: HttpApp,
  deps: { access: RoomAccessView; store: PresenceStore; rules: PresenceRules },
): void => {
  app.get(
    '/api/presence/room/:room_id',
    {
      schema: {
        tags: ['presence'],
        summary: "The presence of a room's members",
        description:
          'For members of the room only: a private, missing or deleted room is `room_not_found` ' +
          '(404) to anyone else, a public room `not_member` (403).',
        params: RoomParams,
        response: { 200: RoomPresence, ...errors },
      },
    },
    async (request) => {
      const { room_id } = request.params;
      const viewer = principalOf(request);
      const { access, refusal } = await deps.access.decide(room_id, (room) => refuseNonMember(room, viewer));
      if (refusal) throw new HttpRejection(refusal.code, refusal.message);
      const members = access!.members.map((member) => member.user_id).sort();
      const states = await deps.store.getUsers(members);
      const now = Date.now();
      return {
        room_id,
        members: members.map((userId, i) => presenceAt(states[i] ?? unknownUser(userId), now, deps.rules)),
      };
    },
  );
};
