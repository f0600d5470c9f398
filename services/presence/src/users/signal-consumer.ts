import { type Bus, type Consumer, eachRecord } from '@chat/bus';
import { compile, PresenceSignal, Topics, type PresenceChanged } from '@chat/contracts';
import type { RoomAccessView } from '@chat/room-access';
import type { Logger } from '@chat/runtime';
import { announceJoin } from '../rooms/joined';
import type { PresenceStore } from '../store/port';
import { applySignal, unknownUser, type PresenceRules, type StatusChange } from './presence';

const validSignal = compile(PresenceSignal);

const parseSignal = (value: string): PresenceSignal | null => {
  try {
    const parsed: unknown = JSON.parse(value);
    return validSignal.check(parsed) ? parsed : null;
  } catch {
    return null;
  }
};

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Tells the members of the user's rooms (through every gateway) and anyone else listening. */
const publishChange = async (bus: Bus, access: RoomAccessView, change: StatusChange) => {
  const record: PresenceChanged = {
    user_id: change.user_id,
    status: change.status,
    last_seen: isoOrNull(change.last_seen),
    changed_at: new Date(change.changed_at).toISOString(),
    room_ids: (await access.roomsOf(change.user_id)).map((room) => room.room_id),
  };
  await bus.publish(Topics.presenceChanges, [{ key: change.user_id, value: JSON.stringify(record) }]);
};

/**
 * Applies the presence rules to every signal on `presence.signals`; a join also shows the room
 * the joiner's status and the joiner the room's (`rooms/joined.ts`). A user's signals share a
 * partition, so one consumer applies them in order: the single writer of that user's state. A
 * new group starts at the live end: within one heartbeat period the gateways re-announce every
 * live connection, so older signals add nothing.
 */
export const startSignalConsumer = async (deps: {
  access: RoomAccessView;
  bus: Bus;
  store: PresenceStore;
  rules: PresenceRules;
  logger: Logger;
}): Promise<Consumer> => {
  const { access, bus, store, rules, logger } = deps;
  const consumer = await bus.consume({
    groupId: 'presence-signals',
    topics: [Topics.presenceSignals],
    startFrom: 'latest',
    handleBatch: eachRecord(async (record) => {
      const signal = parseSignal(record.value);
      if (!signal) {
        logger.warn(
          { partition: record.partition, offset: record.offset },
          'skipping a malformed presence signal',
        );
        return;
      }
      const before = (await store.getUser(signal.user_id)) ?? unknownUser(signal.user_id);
      const { state, change } = applySignal(before, signal, rules);
      // Published before the state is saved: a crash in between redelivers the signal, which
      // then finds the old state and announces the change again — at least once, never lost.
      if (change) await publishChange(bus, access, change);
      if (signal.type === 'room_joined') await announceJoin(deps, signal, state);
      await store.putUser(state);
    }),
  });
  await consumer.ready;
  logger.info('presence signals consumer running');
  return consumer;
};
