import { randomUUID } from 'node:crypto';
import { HistoryPage, HistoryQuery, PostMessageBody, RoomParams, SendResult } from '@chat/contracts';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import { Type } from '@sinclair/typebox';
import { errorResponses, orReject, runCommand, viewerOf, type RestDeps } from '../rest/routing';
import { TokenBuckets } from '../rest/token-buckets';
import { findMemberRoom } from '../rooms/queries';

const PostedMessage = Type.Omit(SendResult, ['kind']);

const MINUTE_MS = 60_000;

export const registerMessageRoutes = (app: HttpApp, deps: RestDeps): void => {
  const { readModel, settings } = deps;
  const tags = ['messages'];
  const sendLimit = settings.rate_limiting.messages_per_minute;
  const sends = new TokenBuckets(sendLimit, MINUTE_MS);

  app.get(
    '/api/rooms/:room_id/messages',
    {
      schema: {
        tags,
        summary: "A page of a room's history (members only)",
        params: RoomParams,
        querystring: HistoryQuery,
        response: { 200: HistoryPage, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { room_id } = request.params;
      orReject(await findMemberRoom(readModel, room_id, viewerOf(request)));
      const { limit = 50, before, before_seq, after_seq } = request.query;
      const slice = await readModel.listMessages(room_id, {
        limit,
        before: before === undefined ? undefined : new Date(before),
        beforeSeq: before_seq,
        afterSeq: after_seq,
      });
      return { room_id, ...slice };
    },
  );

  app.post(
    '/api/rooms/:room_id/messages',
    {
      schema: {
        tags,
        summary: 'Send a message (for bots and integrations; clients use the WebSocket)',
        description:
          'Repeating a `client_msg_id` returns the original message with `duplicate: true`. ' +
          'A first message to a public room joins its sender to it.',
        params: RoomParams,
        body: PostMessageBody,
        response: { 201: PostedMessage, ...errorResponses(403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { userId } = viewerOf(request);
      if (!sends.take(userId)) {
        throw new HttpRejection('rate_limited', `At most ${sendLimit} messages may be sent per minute.`);
      }
      const { content, client_msg_id = null } = request.body;
      const { result } = await runCommand(
        deps,
        request,
        {
          type: 'SendMessage',
          data: { room_id: request.params.room_id, content, message_type: 'text', client_msg_id },
        },
        // The client's id is the command id, as on the WebSocket: either path repeats the other.
        client_msg_id ?? randomUUID(),
      );
      if (result.kind !== 'message_sent')
        throw new Error(`SendMessage answered with a ${result.kind} result`);
      const { kind: _kind, ...posted } = result;
      return reply.code(201).send(posted);
    },
  );
};
