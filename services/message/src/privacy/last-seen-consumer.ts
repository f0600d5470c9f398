import type { Bus, Consumer } from '@chat/bus';
import { RECORD_KIND_HEADER, Topics, type PresenceChanged } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { LastSeen, MessageReadModel } from '../read-model/port';

/**
 * When each user was last seen, from the presence service's `presence.changes` (status changes;
 * the records with a kind header are shown room presences, not changes): kept for their export.
 */
export const startLastSeenConsumer = async (deps: {
  bus: Bus;
  readModel: Pick<MessageReadModel, 'recordLastSeen'>;
  logger: Logger;
}): Promise<Consumer> => {
  const { bus, readModel, logger } = deps;
  const consumer = await bus.consume({
    groupId: 'message-last-seen',
    topics: [Topics.presenceChanges],
    handleBatch: async ({ records }) => {
      const newest = new Map<string, string>();
      for (const record of records) {
        if (record.headers[RECORD_KIND_HEADER] !== undefined) continue;
        const { user_id, last_seen } = JSON.parse(record.value) as PresenceChanged;
        if (last_seen !== null && last_seen > (newest.get(user_id) ?? '')) newest.set(user_id, last_seen);
      }
      const seen: LastSeen[] = [...newest].map(([user_id, last_seen]) => ({ user_id, last_seen }));
      if (seen.length > 0) await readModel.recordLastSeen(seen);
    },
  });
  await consumer.ready;
  logger.info('following presence.changes for last seen');
  return consumer;
};
