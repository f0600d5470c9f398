import { randomUUID } from 'node:crypto';
import type { Bus } from '@chat/bus';
import {
  reject,
  Topics,
  topicSpecs,
  type EventRecord,
  type Rejection,
  type UserSuspensionEvent,
} from '@chat/contracts';
import type { Logger } from 'pino';

type Suspended = Extract<UserSuspensionEvent, { type: 'UserSuspended' }>['data'];

/** How long a start waits for the view to read the whole topic before it reports itself ready anyway. */
const INITIAL_CATCH_UP_WAIT_MS = 60_000;

/**
 * A process's view of the users barred from the platform: suspended ones, fed by the compacted
 * topic `user.suspensions` (the newest event per user is the whole of their suspension), and
 * erased ones, fed by the compacted `user.erasures` (an erasure is for good). Kept in memory and
 * read from the topics' start at every start: both are few.
 */
export interface SuspensionView {
  /** Why the user may not use the platform now (`account_erased`, `suspended`), or null. */
  refusal(userId: string, now?: Date): Rejection | null;
  /** Calls `listener` with each user suspended or erased from now on, e.g. to close their sockets. */
  onSuspended(listener: (userId: string, refusal: Rejection) => void): void;
  /** Until it has read the topic as it stood at start, a suspended user could pass: not ready. */
  notReady(): string[];
  stop(): Promise<void>;
}

const ERASED: Rejection = reject('account_erased', 'This account was erased.');

const refusalOf = (suspension: Suspended): Rejection =>
  reject(
    'suspended',
    `Your account is suspended${suspension.until ? ` until ${suspension.until}` : ''}: ${suspension.reason}`,
  );

/** Starts the consumer that keeps the view in step with both topics; resolves once it read what they held. */
export const startSuspensionView = async (deps: {
  bus: Bus;
  /** Names the consumer group, with a new id per start: each start reads the topic from its start. */
  reader: string;
  logger: Logger;
}): Promise<SuspensionView> => {
  const { bus, reader, logger } = deps;
  const suspensions = new Map<string, Suspended>();
  const erased = new Set<string>();
  const listeners: ((userId: string, refusal: Rejection) => void)[] = [];
  await bus.ensureTopics(topicSpecs(Topics.userSuspensions, Topics.userErasures));
  const consumer = await bus.consume({
    groupId: `suspensions.${reader}.${randomUUID()}`,
    topics: [Topics.userSuspensions, Topics.userErasures],
    startFrom: 'earliest',
    handleBatch: async ({ records }) => {
      for (const record of records) {
        const event = JSON.parse(record.value) as EventRecord;
        if (event.type === 'UserErased') {
          const userId = (event.data as { user_id: string }).user_id;
          erased.add(userId);
          for (const listener of listeners) listener(userId, ERASED);
        } else if (event.type === 'UserSuspended') {
          const suspension = event.data as Suspended;
          suspensions.set(suspension.user_id, suspension);
          for (const listener of listeners) listener(suspension.user_id, refusalOf(suspension));
        } else if (event.type === 'UserUnsuspended') {
          suspensions.delete((event.data as { user_id: string }).user_id);
        }
      }
    },
  });
  await consumer.ready;
  let ready = await consumer.caughtUp(INITIAL_CATCH_UP_WAIT_MS);
  if (!ready) {
    logger.warn(
      { reader },
      'suspension view still reading user.suspensions and user.erasures; not ready until it has',
    );
    void consumer.caughtUp(Number.MAX_SAFE_INTEGER).then((done) => (ready = done));
  }
  return {
    refusal(userId, now = new Date()) {
      if (erased.has(userId)) return ERASED;
      const suspension = suspensions.get(userId);
      if (!suspension || (suspension.until !== null && Date.parse(suspension.until) <= now.getTime()))
        return null;
      return refusalOf(suspension);
    },
    onSuspended: (listener) => void listeners.push(listener),
    notReady: () => (ready ? [] : ['suspension-view']),
    stop: () => consumer.stop(),
  };
};
