import {
  EditMessageBody,
  EditResult,
  HistoryPage,
  HistoryQuery,
  MessageParams,
  PostMessageBody,
  RoomParams,
  SendResult,
} from '@chat/contracts';
import { sendCommandId } from '@chat/event-sourcing';
import type { HttpApp } from '@chat/runtime';
import { Type } from '@sinclair/typebox';
import {
  errorResponses,
  orReject,
  runCommand,
  shedIfBehind,
  spend,
  viewerOf,
  type RestDeps,
} from '../rest/routing';
import { withReactions } from '../reactions/history';
import { findMemberRoom } from '../rooms/queries';

const PostedMessage = Type.Omit(SendResult, ['kind']);
const EditedMessage = Type.Omit(EditResult, ['kind', 'duplicate']);
const NoContent = Type.Null({ description: 'Done.' });

export const registerMessageRoutes = (app: HttpApp, deps: RestDeps): void => {
  const { readModel } = deps;
  const tags = ['messages'];

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
      const viewer = viewerOf(request);
      orReject(await findMemberRoom(readModel, room_id, viewer));
      const { limit = 50, before, before_seq, after_seq } = request.query;
      const slice = await readModel.listMessages(room_id, {
        limit,
        before: before === undefined ? undefined : new Date(before),
        beforeSeq: before_seq,
        afterSeq: after_seq,
      });
      const opened = await deps.openMessages(slice.messages);
      const messages = await withReactions(readModel, room_id, opened, viewer.userId);
      return { room_id, messages, has_more: slice.has_more };
    },
  );

  app.post(
    '/api/rooms/:room_id/messages',
    {
      schema: {
        tags,
        summary: 'Send a message (for bots and integrations; clients use the WebSocket)',
        description:
          'Repeating a `client_msg_id` — here or over the WebSocket — returns the original message ' +
          'with `duplicate: true`. ' +
          'A first message to a public room joins its sender to it. ' +
          'With `thread_id` (a message of the room) the message is a reply in its thread. ' +
          'While the service is behind, a send is refused at once with 503 `overloaded` and ' +
          '`Retry-After`: send it again then, with the same `client_msg_id`.',
        params: RoomParams,
        body: PostMessageBody,
        response: { 201: PostedMessage, ...errorResponses(403, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const { userId } = viewerOf(request);
      shedIfBehind(deps);
      await spend(deps, request, 'messages');
      const { content, client_msg_id = null, thread_id } = request.body;
      const { result } = await runCommand(
        deps,
        request,
        {
          type: 'SendMessage',
          data: {
            room_id: request.params.room_id,
            content,
            message_type: 'text',
            client_msg_id,
            ...(thread_id === undefined ? {} : { thread_id }),
          },
        },
        // The gateway's command id for the same user and client id: either path repeats the other.
        sendCommandId(userId, client_msg_id),
      );
      if (result.kind !== 'message_sent')
        throw new Error(`SendMessage answered with a ${result.kind} result`);
      const { kind: _kind, ...posted } = result;
      return reply.code(201).send(posted);
    },
  );

  app.patch(
    '/api/rooms/:room_id/messages/:message_id',
    {
      schema: {
        tags,
        summary: 'Edit a message (its sender only)',
        description:
          'The content is checked as a new message is. Members receive `message_edited`; history ' +
          'shows the new content with `edited_at`. A deleted message cannot be edited (410).',
        params: MessageParams,
        body: EditMessageBody,
        response: { 200: EditedMessage, ...errorResponses(403, 404, 410) },
      },
    },
    async (request) => {
      await spend(deps, request, 'edits');
      const { room_id, message_id } = request.params;
      const { result } = await runCommand(deps, request, {
        type: 'EditMessage',
        data: { room_id, message_id, content: request.body.content },
      });
      if (result.kind !== 'message_edited')
        throw new Error(`EditMessage answered with a ${result.kind} result`);
      const { kind: _kind, duplicate: _duplicate, ...edited } = result;
      return edited;
    },
  );

  app.delete(
    '/api/rooms/:room_id/messages/:message_id',
    {
      schema: {
        tags,
        summary: 'Delete a message (its sender, the room owner or an administrator)',
        description:
          'Members receive `message_deleted`; history keeps the message as a tombstone (empty ' +
          'content, `deleted_at`) so seqs stay gap-free. Deleting a deleted message changes nothing.',
        params: MessageParams,
        response: { 204: NoContent, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await spend(deps, request, 'edits');
      await runCommand(deps, request, { type: 'DeleteMessage', data: request.params });
      return reply.code(204).send(null);
    },
  );
};
