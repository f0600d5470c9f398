import { type Bus, type Consumer, eachRecord } from '@chat/bus';
import { compile, PresenceSignals, Topics } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { UnreadAnnouncer } from './announcer';

const validOpened = compile(PresenceSignals.connection_opened);

/** Older than this, an opened connection has long been told, or is gone: not worth a count. */
const STALE_AFTER_MS = 30_000;

/**
 * Answers every connection that opens (the gateways' `connection_opened` on `presence.signals`)
 * with the user's unread counts. Its own group, from the live end: a count matters to a socket
 * that is open now.
 */
export const startConnectionsConsumer = async (deps: {
  bus: Bus;
  announcer: UnreadAnnouncer;
  logger: Logger;
}): Promise<Consumer> => {
  const consumer = await deps.bus.consume({
    groupId: 'notification-unread',
    topics: [Topics.presenceSignals],
    startFrom: 'latest',
    handleBatch: eachRecord(async (record) => {
      let signal: unknown;
      try {
        signal = JSON.parse(record.value);
      } catch {
        return;
      }
      if (!validOpened.check(signal)) return;
      if (Date.now() - Date.parse(signal.at) > STALE_AFTER_MS) return;
      await deps.announcer.connectionOpened(signal);
    }),
  });
  await consumer.ready;
  deps.logger.info('unread counts for opening connections running');
  return consumer;
};
