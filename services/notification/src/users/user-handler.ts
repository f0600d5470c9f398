import { setTimeout as sleep } from 'node:timers/promises';
import { notifyUserStream, type Rejection, type Result } from '@chat/contracts';
import type { AggregateRepository } from '@chat/event-sourcing';
import type { NotificationReadModel } from '../read-model/port';
import type { UserCommand } from './commands';
import type { UserEvent, UserState } from './user';

export type UserRepository = AggregateRepository<UserCommand, UserEvent, UserState>;

/** Who asks, and the ids for the events' metadata. */
export interface Actor {
  userId: string;
  correlationId: string;
}

export interface UserHandler {
  /** Decides a command on the user's stream; with `visible`, waits until the read model shows it. */
  execute(
    actor: Actor,
    command: UserCommand,
    options?: { commandId?: string; visible?: boolean },
  ): Promise<Result<UserState, Rejection>>;
  /** The user's state as their stream holds it now. */
  stateOf(userId: string): Promise<UserState>;
}

/** How long a REST write waits for its own projection, so the caller's next read sees it. */
const VISIBLE_TIMEOUT_MS = 2_000;
const VISIBLE_POLL_MS = 5;

export const createUserHandler = (deps: {
  repository: UserRepository;
  readModel: Pick<NotificationReadModel, 'appliedRevision'>;
}): UserHandler => {
  const waitUntilVisible = async (stream: string, revision: number) => {
    const deadline = Date.now() + VISIBLE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const applied = await deps.readModel.appliedRevision(stream);
      if (applied !== null && applied >= revision) return;
      await sleep(VISIBLE_POLL_MS);
    }
  };

  return {
    async execute(actor, command, options = {}) {
      const stream = notifyUserStream(actor.userId);
      const commandId = options.commandId ?? crypto.randomUUID();
      const executed = await deps.repository.execute({
        streamName: stream,
        command,
        commandId,
        metadata: { correlation_id: actor.correlationId, causation_id: commandId, actor_id: actor.userId },
      });
      if (!executed.ok) return executed;
      const { revision, state } = executed.value;
      if (options.visible && revision !== null) await waitUntilVisible(stream, revision);
      return { ok: true, value: state };
    },
    stateOf: async (userId) => (await deps.repository.load(notifyUserStream(userId))).state,
  };
};
