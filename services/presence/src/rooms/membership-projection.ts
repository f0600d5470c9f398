import type { Bus, Consumer } from '@chat/bus';
import { Topics, type MessageServiceEvent, type EventRecord } from '@chat/contracts';
import { runProjection } from '@chat/event-sourcing';
import type { Logger } from '@chat/runtime';
import type { PresenceStore } from '../store/port';
import { membershipChangeOf } from './membership';

/**
 * Keeps the store's rooms and members in step with `message.events`. Its consumer group is named
 * after the store's generation: a store that lost its contents is filled again from the start.
 * Changes are sets and deletions, so a redelivered run of events, in order, ends the same.
 */
export const startMembershipProjection = async (deps: {
  bus: Bus;
  store: PresenceStore;
  logger: Logger;
}): Promise<Consumer> => {
  const { bus, store, logger } = deps;
  return runProjection(
    bus,
    {
      name: `presence-membership.${await store.generation()}`,
      topics: [Topics.messageEvents],
      applyBatch: async (records: EventRecord[]) => {
        for (const record of records) {
          await (async () => {
            const change = membershipChangeOf({
              type: record.type,
              data: record.data,
            } as MessageServiceEvent);
            if (change) await store.applyMembership(change);
          })();
        }
      },
    },
    logger,
  );
};
