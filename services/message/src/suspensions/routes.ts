import { randomUUID } from 'node:crypto';
import { Suspension, SuspendUserBody, UserParams, userStream, type UserStreamEvent } from '@chat/contracts';
import type { AggregateRepository } from '@chat/event-sourcing';
import { HttpRejection, principalOf, type HttpApp } from '@chat/runtime';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { errorResponses } from '../rest/routing';
import type { SuspensionCommand, SuspensionState } from './decide';

export interface SuspensionDeps {
  users: AggregateRepository<SuspensionCommand, UserStreamEvent, SuspensionState>;
  /** Resolves once the relay has put everything up to the position on `user.suspensions` (false: not in time). */
  published(position: string, timeoutMs: number): Promise<boolean>;
}

/** How long a suspension waits to be on `user.suspensions` (so gateways close the sockets) before it answers. */
const PUBLISHED_WAIT_MS = 5_000;

const NoContent = Type.Null({ description: 'Done.' });

/** Decides the command on the user's stream and waits until every service can read the outcome. */
const run = async (
  deps: SuspensionDeps,
  request: FastifyRequest,
  command: Omit<SuspensionCommand, 'context'>,
): Promise<SuspensionState> => {
  const principal = principalOf(request);
  const commandId = randomUUID();
  const executed = await deps.users.execute({
    streamName: userStream(command.data.user_id),
    command: {
      ...command,
      context: {
        actor_id: principal.userId,
        actor_is_admin: principal.isAdmin,
        decided_at: new Date().toISOString(),
      },
    } as SuspensionCommand,
    commandId,
    metadata: { correlation_id: request.id, causation_id: commandId, actor_id: principal.userId },
  });
  if (!executed.ok) throw new HttpRejection(executed.error.code, executed.error.message);
  const { position, state } = executed.value;
  if (position !== null && !(await deps.published(position, PUBLISHED_WAIT_MS))) {
    request.log.warn({ position }, 'suspension not yet on user.suspensions; answering anyway');
  }
  return state;
};

/** Platform suspensions (administrators): `/api/admin/users/{user_id}/suspend`. */
export const registerSuspensionRoutes = (app: HttpApp, deps: SuspensionDeps): void => {
  const tags = ['moderation'];

  app.post(
    '/api/admin/users/:user_id/suspend',
    {
      schema: {
        tags,
        summary:
          'Suspend a user platform-wide: their sockets close, their requests are refused (administrators)',
        params: UserParams,
        body: SuspendUserBody,
        response: { 200: Suspension, ...errorResponses(403) },
      },
    },
    async (request) => {
      const state = await run(deps, request, {
        type: 'SuspendUser',
        data: { user_id: request.params.user_id, ...request.body },
      });
      return state!;
    },
  );

  app.delete(
    '/api/admin/users/:user_id/suspend',
    {
      schema: {
        tags,
        summary: 'Lift a suspension (administrators)',
        params: UserParams,
        response: { 204: NoContent, ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      await run(deps, request, { type: 'UnsuspendUser', data: { user_id: request.params.user_id } });
      return reply.code(204).send(null);
    },
  );
};
