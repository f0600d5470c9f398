import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ErrorBody,
  roomStream,
  type MessageServiceCommand,
  type Rejection,
  type Result,
} from '@chat/contracts';
import { HttpRejection, principalOf, type Settings } from '@chat/runtime';
import type { FastifyRequest } from 'fastify';
import type { CommandHandler, Handled } from '../commands/command-handler';
import type { MessageReadModel } from '../read-model/port';
import type { Viewer } from '../rooms/queries';

/** What the REST routes of the message service work with. */
export interface RestDeps {
  handler: CommandHandler;
  readModel: MessageReadModel;
  settings: Settings;
}

/** How long a write waits for the read model to show it before answering. */
const READ_YOUR_WRITES_TIMEOUT_MS = 2_000;
const READ_YOUR_WRITES_POLL_MS = 5;

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
export const errorResponses = (...statuses: (403 | 404 | 410 | 429)[]) =>
  Object.fromEntries([400, 401, ...statuses].map((status) => [status, ErrorBody])) as Record<
    number,
    typeof ErrorBody
  >;

const waitUntilApplied = async (
  readModel: MessageReadModel,
  stream: string,
  revision: number,
): Promise<boolean> => {
  const deadline = Date.now() + READ_YOUR_WRITES_TIMEOUT_MS;
  for (;;) {
    const applied = await readModel.appliedRevision(stream);
    if (applied !== null && applied >= revision) return true;
    if (Date.now() >= deadline) return false;
    await sleep(READ_YOUR_WRITES_POLL_MS);
  }
};

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
  const handled = await deps.handler.handle(
    {
      command_id: commandId,
      correlation_id: request.id,
      actor_id: principal.userId,
      actor_is_admin: principal.isAdmin,
      issued_at: new Date().toISOString(),
      reply_to: null,
    },
    command,
  );
  if (!handled.ok) throw new HttpRejection(handled.error.code, handled.error.message);
  const stream = roomStream(command.data.room_id);
  if (handled.revision !== null && !(await waitUntilApplied(deps.readModel, stream, handled.revision))) {
    request.log.warn(
      { stream, revision: handled.revision },
      'read model lags; answering before it shows the write',
    );
  }
  return handled;
};
