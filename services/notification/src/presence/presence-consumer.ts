import { type Bus, type Consumer, eachRecord, type IncomingRecord } from '@chat/bus';
import type { PresenceChanged } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { NotificationReadModel } from '../read-model/port';

/** One user's presence as the presence service announced it. */
export interface PresenceChange {
  user_id: string;
  online: boolean;
  /** When it changed (ISO 8601): an older change never overwrites a newer one. */
  at: string;
}

/**
 * The notification service's own view of who is online, from the presence service's topic of
 * presence changes (it asks no other service). Each record is stored as the user's latest status
 * unless a newer one is already known, so redelivery and reordering across partitions are
 * harmless. `parse` maps the presence contract's record to a change (null: not a presence change).
 */
export const startPresenceConsumer = async (deps: {
  bus: Bus;
  topic: string;
  parse: (record: IncomingRecord) => PresenceChange | null;
  readModel: Pick<NotificationReadModel, 'setPresence'>;
  logger: Logger;
}): Promise<Consumer> => {
  const consumer = await deps.bus.consume({
    groupId: 'notification-presence',
    topics: [deps.topic],
    handleBatch: eachRecord(async (record) => {
      const change = deps.parse(record);
      if (!change) return;
      await deps.readModel.setPresence(change.user_id, change.online, change.at);
    }),
  });
  await consumer.ready;
  deps.logger.info({ topic: deps.topic }, 'presence view running');
  return consumer;
};

/** The fields read here (the contract's `date-time` format has no checker in the compiled validators). */
const isChange = (value: unknown): value is PresenceChanged => {
  const change = value as Partial<Record<keyof PresenceChanged, unknown>> | null;
  return (
    typeof change === 'object' &&
    change !== null &&
    typeof change.user_id === 'string' &&
    typeof change.status === 'string' &&
    typeof change.changed_at === 'string' &&
    !Number.isNaN(Date.parse(change.changed_at))
  );
};

/**
 * A record of `presence.changes` as this service needs it: online is any status but `offline`
 * (away and busy users are connected and see the message in the app).
 */
export const presenceChangeOf = (record: Pick<IncomingRecord, 'value'>): PresenceChange | null => {
  let value: unknown;
  try {
    value = JSON.parse(record.value);
  } catch {
    return null;
  }
  if (!isChange(value)) return null;
  return { user_id: value.user_id, online: value.status !== 'offline', at: value.changed_at };
};
