import { randomUUID } from 'node:crypto';
import {
  ErrorBody,
  type ChatMessage,
  roomStream,
  type MessageServiceCommand,
  type Rejection,
  type Result,
} from '@chat/contracts';
import { waitUntil } from '@chat/event-sourcing';
import {
  HttpRejection,
  principalOf,
  userBucket,
  type RateLimiter,
  type Settings,
  type UserLimit,
} from '@chat/runtime';
import type { FastifyRequest } from 'fastify';
import type { CommandHandler, Handled, RoomRepository } from '../commands/command-handler';
import type { MessageReadModel } from '../read-model/port';
import type { Viewer } from '../rooms/queries';
import type { CommandBacklog } from './command-backlog';

/** What the REST routes of the message service work with. */
export interface RestDeps {
  handler: CommandHandler;
  readModel: MessageReadModel;
  /** The rooms' own state, for what the read model does not hold (bans). */
  rooms: Pick<RoomRepository, 'load'>;
  settings: Settings;
  /** Users' budgets, shared with the gateways' WebSocket frames (Redis in the fleet). */
  limiter: RateLimiter;
  /** Opens the content of messages read from the read model (sealed there), to answer with it. */
  openMessages<T extends ChatMessage>(messages: T[]): Promise<T[]>;
  /** Resolves when this process's read-model projection has applied its next batch, or after `ms`. */
  historyApplied(ms: number): Promise<void>;
  /** The REST commands being decided now: sends are shed while it is too far behind. */
  backlog: CommandBacklog;
}

/** How long a write waits for the read model to show it before answering. */
const READ_YOUR_WRITES_TIMEOUT_MS = 5_000;

/** Spends a token of the caller's budget for `limit`, or refuses the request `rate_limited` (429). */
export const spend = async (deps: RestDeps, request: FastifyRequest, limit: UserLimit): Promise<void> => {
  const { key, rule, refusal } = userBucket(deps.settings, limit, principalOf(request).userId);
  const taken = await deps.limiter.take(key, rule);
  if (!taken.allowed) throw new HttpRejection('rate_limited', refusal, taken.retryAfterMs);
};

/**
 * Refuses a send at once with `overloaded` (503, `Retry-After`) while the oldest REST command this
 * process is deciding has taken longer than `websocket.max_command_lag_ms` — the bound the
 * gateways apply to WebSocket sends — instead of queueing it behind answers seconds away.
 */
export const shedIfBehind = (deps: RestDeps): void => {
  const lagMs = deps.backlog.lagMs();
  if (lagMs > deps.settings.websocket.max_command_lag_ms) {
    throw new HttpRejection('overloaded', 'The server is behind; send again after retry_after_ms.', lagMs);
  }
};

export const viewerOf = (request: FastifyRequest): Viewer => {
  const principal = principalOf(request);
  return { userId: principal.userId, isAdmin: principal.isAdmin };
};

/** The value, or the rejection as the route's error response. */
export const orReject = <T>(result: Result<T, Rejection>): T => {
  if (!result.ok) throw new HttpRejection(result.error.code, result.error.message);
  return result.value;
};

/** Error responses a route documents, besides the 400 and 401 every route may give. */
export const errorResponses = (...statuses: (403 | 404 | 410 | 429 | 503)[]) =>
  Object.fromEntries([400, 401, ...statuses].map((status) => [status, ErrorBody])) as Record<
    number,
    typeof ErrorBody
  >;

/** Until the read model has applied the stream up to the revision: checked after each batch it applies. */
const waitUntilApplied = (deps: RestDeps, stream: string, revision: number): Promise<boolean> =>
  waitUntil(
    async () => ((await deps.readModel.appliedRevision(stream)) ?? -1) >= revision,
    deps.historyApplied,
    READ_YOUR_WRITES_TIMEOUT_MS,
  );

/**
 * Runs a command for the caller, through the same handler as the bus. It answers once the read
 * model shows the write, so the client's next GET sees it (read-your-writes); if the read model
 * lags longer than that, it answers anyway — the write itself is durable.
 */
export const runCommand = async (
  deps: RestDeps,
  request: FastifyRequest,
  command: MessageServiceCommand,
  commandId: string = randomUUID(),
): Promise<Extract<Handled, { ok: true }>> => {
  const principal = principalOf(request);
  const handled = await deps.backlog.track(() =>
    deps.handler.handle(
      {
        command_id: commandId,
        correlation_id: request.id,
        actor_id: principal.userId,
        actor_is_admin: principal.isAdmin,
        issued_at: new Date().toISOString(),
        reply_to: null,
      },
      command,
    ),
  );
  if (!handled.ok) throw new HttpRejection(handled.error.code, handled.error.message);
  const stream = roomStream(command.data.room_id);
  if (handled.revision !== null && !(await waitUntilApplied(deps, stream, handled.revision))) {
    request.log.warn(
      { stream, revision: handled.revision },
      'read model lags; answering before it shows the write',
    );
  }
  return handled;
};
