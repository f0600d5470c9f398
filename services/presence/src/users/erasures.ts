import { randomUUID } from 'node:crypto';
import type { Bus, Consumer } from '@chat/bus';
import { Topics, type EventRecord, type UserErased } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { PresenceStore } from '../store/port';

/**
 * Forgets each erased user, from the compacted `user.erasures` read from its start: a new store
 * (the embedded one is in memory) learns every erasure again.
 */
export const startErasureConsumer = async (deps: {
  bus: Bus;
  store: PresenceStore;
  logger: Logger;
}): Promise<Consumer> => {
  const { bus, store, logger } = deps;
  const consumer = await bus.consume({
    // A new group per start reads the topic from its start: the embedded store starts empty.
    groupId: `presence-erasures.${randomUUID()}`,
    topics: [Topics.userErasures],
    startFrom: 'earliest',
    handleBatch: async ({ records }) => {
      for (const record of records) {
        const event = JSON.parse(record.value) as EventRecord;
        if (event.type === 'UserErased') await store.eraseUser((event.data as UserErased).user_id);
      }
    },
  });
  await consumer.ready;
  logger.info('presence erasures consumer running');
  return consumer;
};
