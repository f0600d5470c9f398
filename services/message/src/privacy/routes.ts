import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AccountExport,
  Erasure,
  UserParams,
  userStream,
  type ChatMessage,
  type UserStreamEvent,
} from '@chat/contracts';
import type { AggregateRepository } from '@chat/event-sourcing';
import { HttpRejection, principalOf, type HttpApp } from '@chat/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditReadModel } from '../audit/application/port';
import type { MessageReadModel } from '../read-model/port';
import { errorResponses } from '../rest/routing';
import { erasureRefusal, type ErasureContext, type ErasureState, type EraseUser } from './decide';
import { exportDocument } from './export';
import type { UserKeyShredder } from './key-shredder';

export interface PrivacyDeps {
  users: AggregateRepository<EraseUser, UserStreamEvent, ErasureState>;
  readModel: MessageReadModel;
  audit: AuditReadModel;
  /** The users' data keys. */
  keys: UserKeyShredder;
  /** Opens the sealed content of messages, as history shows them. */
  openMessages(messages: ChatMessage[]): Promise<ChatMessage[]>;
  /** Opens a file's name, sealed under the file's key ('' once that key is destroyed). */
  openFileName(fileId: string, name: string): Promise<string>;
  /** Resolves once the relay has put everything up to the position on `user.erasures` (false: not in time). */
  published(position: string, timeoutMs: number): Promise<boolean>;
}

/** How long an erasure waits to be on `user.erasures` (so every service purges) before it answers. */
const PUBLISHED_WAIT_MS = 5_000;

const contextOf = (request: FastifyRequest): ErasureContext => {
  const principal = principalOf(request);
  return {
    actor_id: principal.userId,
    actor_is_admin: principal.isAdmin,
    decided_at: new Date().toISOString(),
  };
};

/**
 * Destroys the user's data keys first — from then on their content is unreadable everywhere — then
 * records the erasure on their stream and waits until it is on `user.erasures`, where every
 * service purges what it holds of them in clear.
 */
const erase = async (deps: PrivacyDeps, request: FastifyRequest, userId: string): Promise<Erasure> => {
  const context = contextOf(request);
  const refusal = erasureRefusal(context, userId);
  if (refusal) throw new HttpRejection(refusal.code, refusal.message);
  const keysDestroyed = await deps.keys.destroyUserKeys(userId);
  const commandId = randomUUID();
  const executed = await deps.users.execute({
    streamName: userStream(userId),
    command: { type: 'EraseUser', data: { user_id: userId }, context },
    commandId,
    metadata: { correlation_id: request.id, causation_id: commandId, actor_id: context.actor_id },
  });
  if (!executed.ok) throw new HttpRejection(executed.error.code, executed.error.message);
  const { position, state } = executed.value;
  if (position !== null && !(await deps.published(position, PUBLISHED_WAIT_MS))) {
    request.log.warn({ position }, 'erasure not yet on user.erasures; answering anyway');
  }
  request.log.info({ user_id: userId, erased_by: context.actor_id }, 'user erased');
  return { ...state!, keys_destroyed: keysDestroyed };
};

/** Streams the export as one JSON document, as a download. */
const sendExport = (
  deps: PrivacyDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
): void => {
  const principal = principalOf(request);
  if (principal.userId !== userId && !principal.isAdmin) {
    throw new HttpRejection(
      'forbidden',
      "Only the user themself or an administrator may export a user's data.",
    );
  }
  const roles = principal.userId === userId && principal.isAdmin ? ['admin'] : [];
  const document = exportDocument(deps, { userId, roles, exportedAt: new Date().toISOString() });
  void reply
    .type('application/json; charset=utf-8')
    .header('content-disposition', `attachment; filename="export-${encodeURIComponent(userId)}.json"`)
    .send(Readable.from(document));
};

/** GDPR export and erasure: `/api/me` for oneself, `/api/admin/users/{user_id}` for administrators. */
export const registerPrivacyRoutes = (app: HttpApp, deps: PrivacyDeps): void => {
  const tags = ['privacy'];
  const exportSchema = {
    tags,
    response: { 200: AccountExport, ...errorResponses(403) },
  };
  const erasureSchema = { tags, response: { 200: Erasure, ...errorResponses(403) } };

  app.get(
    '/api/me/export',
    {
      schema: {
        ...exportSchema,
        summary: 'Everything held about the caller, as one JSON document (streamed)',
      },
    },
    (request, reply) => sendExport(deps, request, reply, principalOf(request).userId),
  );

  app.get(
    '/api/admin/users/:user_id/export',
    {
      schema: {
        ...exportSchema,
        params: UserParams,
        summary: 'Everything held about a user, as one JSON document, streamed (administrators)',
      },
    },
    (request, reply) => sendExport(deps, request, reply, request.params.user_id),
  );

  app.delete(
    '/api/me',
    {
      schema: {
        ...erasureSchema,
        summary:
          "Erase the caller's data: their keys are destroyed, their messages become tombstones, " +
          'their files, subscriptions and presence are deleted, their sockets close; for good',
      },
    },
    (request) => erase(deps, request, principalOf(request).userId),
  );

  app.delete(
    '/api/admin/users/:user_id',
    {
      schema: {
        ...erasureSchema,
        params: UserParams,
        summary: "Erase a user's data, as `DELETE /api/me` does (administrators); again: no change",
      },
    },
    (request) => erase(deps, request, request.params.user_id),
  );
};
