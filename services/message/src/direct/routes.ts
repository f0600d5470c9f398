import { DirectRoom, OpenDirectBody } from '@chat/contracts';
import type { HttpApp } from '@chat/runtime';
import { errorResponses, runCommand, viewerOf, type RestDeps } from '../rest/routing';
import { directMembersOf, directRoomId } from './room-id';

export const registerDirectRoutes = (app: HttpApp, deps: RestDeps): void => {
  app.post(
    '/api/dms',
    {
      schema: {
        tags: ['rooms'],
        summary: "Open the caller's direct room with a user (oneself: notes to self)",
        description:
          'The same pair always gets the same room: 201 when this call opened it, 200 when it was open. ' +
          'The first opening fixes its encryption (`mls`: end-to-end encrypted).',
        body: OpenDirectBody,
        response: { 200: DirectRoom, 201: DirectRoom, ...errorResponses() },
      },
    },
    async (request, reply) => {
      const { user_id, encryption = 'none' } = request.body;
      const { userId } = viewerOf(request);
      const room_id = directRoomId(userId, user_id);
      const { state, position } = await runCommand(deps, request, {
        type: 'OpenDirectRoom',
        data: { room_id, user_id, encryption },
      });
      const room: DirectRoom = {
        room_id,
        kind: 'direct',
        members: directMembersOf(userId, user_id),
        created_at: state.createdAt,
        encryption: state.encryption,
      };
      return reply.code(position === null ? 200 : 201).send(room);
    },
  );
};
