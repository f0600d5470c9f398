import { MessageParams, ThreadPage, ThreadQuery } from '@chat/contracts';
import type { HttpApp } from '@chat/runtime';
import { errorResponses, orReject, viewerOf, type RestDeps } from '../rest/routing';
import { findMemberRoom } from '../rooms/queries';

/** Replies are sent as messages (with `thread_id`); a thread's own surface is paging its replies. */
export const registerThreadRoutes = (app: HttpApp, { readModel, openMessages }: RestDeps): void => {
  const tags = ['messages'];

  app.get(
    '/api/rooms/:room_id/threads/:message_id/messages',
    {
      schema: {
        tags,
        summary: "A page of a thread's replies (members only)",
        description:
          'Replies are room messages: they carry their room seq and page as history does, ' +
          'newest first without `after_seq`, oldest first after it. A message without replies ' +
          'has an empty thread.',
        params: MessageParams,
        querystring: ThreadQuery,
        response: { 200: ThreadPage, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { room_id, message_id } = request.params;
      orReject(await findMemberRoom(readModel, room_id, viewerOf(request)));
      const { limit = 50, before_seq, after_seq } = request.query;
      const slice = await readModel.listReplies(room_id, message_id, {
        limit,
        beforeSeq: before_seq,
        afterSeq: after_seq,
      });
      return { room_id, thread_id: message_id, ...slice, messages: await openMessages(slice.messages) };
    },
  );
};
