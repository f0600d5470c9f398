import { ReactionParams, ReactionResult } from '@chat/contracts';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponses, runCommand, type RestDeps, spend } from '../rest/routing';

const Reaction = Type.Omit(ReactionResult, ['kind']);

/** `PUT` and `DELETE /api/rooms/{room_id}/messages/{message_id}/reactions/{emoji}`: the caller's reaction. */
export const registerReactionRoutes = (app: HttpApp, deps: RestDeps): void => {
  const tags = ['reactions'];
  const path = '/api/rooms/:room_id/messages/:message_id/reactions/:emoji';

  const react = async (
    request: FastifyRequest,
    { room_id, message_id, emoji }: Static<typeof ReactionParams>,
    action: 'add' | 'remove',
  ) => {
    if (!deps.settings.features.message_reactions) {
      throw new HttpRejection('feature_disabled', 'Reactions are disabled on this deployment.');
    }
    await spend(deps, request, 'reactions');
    const { result } = await runCommand(deps, request, {
      type: 'ReactToMessage',
      data: { room_id, message_id, emoji, action },
    });
    if (result.kind !== 'reaction') throw new Error(`ReactToMessage answered with a ${result.kind} result`);
    const { kind: _kind, ...reaction } = result;
    return reaction;
  };

  const description =
    'The emoji is one emoji (URL-encoded) or a `:short_code:`; at most 20 per user on one message. ' +
    'Members receive `reaction` with the emoji’s new count when something changed; `changed: false` ' +
    'means the reaction already was so. A deleted message is `message_not_found`.';

  app.put(
    path,
    {
      schema: {
        tags,
        summary: "Add the caller's reaction to a message (members only)",
        description,
        params: ReactionParams,
        response: { 200: Reaction, ...errorResponses(403, 404) },
      },
    },
    (request) => react(request, request.params, 'add'),
  );

  app.delete(
    path,
    {
      schema: {
        tags,
        summary: "Remove the caller's reaction from a message (members only)",
        description,
        params: ReactionParams,
        response: { 200: Reaction, ...errorResponses(403, 404) },
      },
    },
    (request) => react(request, request.params, 'remove'),
  );
};
