import type { Bus } from '@chat/bus';
import { Topics, type PresenceSignalOf } from '@chat/contracts';
import { repeatEvery, type Logger } from '@chat/runtime';
import type { PresenceStore } from '../store/port';
import type { PresenceRules } from './presence';

/** Expiry checks per publish: keeps each batch well under Kafka's request size. */
const BATCH = 500;

/**
 * Every `presence.cleanup_interval_minutes` (and at start), finds the users with a connection not
 * heard from for the offline threshold and publishes `expiry_due` for each on `presence.signals`.
 * The signal consumer decides the expiry in order with the user's other signals — a heartbeat
 * still queued wins — so sweeps by several replicas at once are harmless repeats.
 */
export const startSweeper = (deps: {
  bus: Bus;
  store: PresenceStore;
  rules: PresenceRules;
  everyMs: number;
  logger: Logger;
}): { stop(): Promise<void> } => {
  const { bus, store, rules, everyMs, logger } = deps;
  const sweep = async () => {
    const now = Date.now();
    const due = await store.usersSeenBefore(now - rules.offlineThresholdMs);
    for (let start = 0; start < due.length; start += BATCH) {
      const records = due.slice(start, start + BATCH).map((userId) => {
        const signal: PresenceSignalOf<'expiry_due'> = {
          type: 'expiry_due',
          user_id: userId,
          at: new Date(now).toISOString(),
        };
        return { key: userId, value: JSON.stringify(signal) };
      });
      await bus.publish(Topics.presenceSignals, records);
    }
    if (due.length > 0) logger.debug({ users: due.length }, 'presence expiry checks published');
  };

  return repeatEvery(everyMs, sweep, (error) =>
    logger.warn({ err: error }, 'presence sweep failed; next time'),
  );
};
