import type { Bus, Consumer } from '@chat/bus';
import { compile, RoomAccess, Topics, topicSpecs, type Rejection } from '@chat/contracts';
import type { Logger } from 'pino';
import { factsOf, type RoomFacts } from './rule';
import type { RoomAccessStore, UserRoom } from './store/port';

/** How long a refusal waits for the view to catch up with `room.access` before it stands. */
const CONFIRM_REFUSAL_WAIT_MS = 5_000;
/** How long a start waits for the view to read the whole topic before it reports itself ready anyway. */
const INITIAL_CATCH_UP_WAIT_MS = 60_000;

const validRecord = compile(RoomAccess);

/** A room's access as the view holds it, and what the rule made of it for one request. */
export interface AccessDecision {
  access: RoomAccess | null;
  refusal: Rejection | null;
}

/**
 * A service's view of every room's access, fed by the compacted topic `room.access`. It holds no
 * rule of its own: callers pass one of `./rule`'s refusals.
 */
export interface RoomAccessView {
  /** The newest state of the room this view has read; null if none. */
  get(roomId: string): Promise<RoomAccess | null>;
  /** The rooms, not deleted, the user is a member of. */
  roomsOf(userId: string): Promise<UserRoom[]>;
  /**
   * Applies a refusal to the room. A refusal is confirmed against everything published to
   * `room.access` before the call (read-your-writes by position): a user added a moment ago is
   * not turned away because this view had not read the change yet, and nobody waits a fixed time.
   */
  decide(roomId: string, refuse: (room: RoomFacts | null) => Rejection | null): Promise<AccessDecision>;
  /** True once the view holds every record published before the call; false if not within `timeoutMs`. */
  caughtUp(timeoutMs: number): Promise<boolean>;
  /** Until it has read the topic as it stood at start, its answers may be stale: not ready. */
  notReady(): string[];
  stop(): Promise<void>;
}

const recordOf = (value: string): RoomAccess => {
  const record: unknown = JSON.parse(value);
  if (!validRecord.check(record)) {
    throw new TypeError(`Not a room access record: ${validRecord.explain(record) ?? 'invalid'}`);
  }
  return record;
};

/**
 * Starts the consumer that keeps the store in step with `room.access`, in a group named after the
 * store's generation: an empty store (a new file, an emptied database, an in-memory store) reads
 * the compacted topic from its start and so holds every room's access again, whatever the
 * retention of `message.events`. Resolves once the view has read what the topic held at start.
 */
export const startRoomAccessView = async (deps: {
  bus: Bus;
  store: RoomAccessStore;
  /** Names the consumer group, with the store's generation: one group per service and store. */
  reader: string;
  logger: Logger;
}): Promise<RoomAccessView> => {
  const { bus, store, reader, logger } = deps;
  await bus.ensureTopics(topicSpecs(Topics.roomAccess));
  const consumer: Consumer = await bus.consume({
    groupId: `room-access.${reader}.${await store.generation()}`,
    topics: [Topics.roomAccess],
    handleBatch: async ({ partition, records }) => {
      const last = records[records.length - 1]!;
      await store.save(
        records.map((record) => recordOf(record.value)),
        [{ partition, nextOffset: Number(last.offset) + 1 }],
      );
    },
  });
  await consumer.ready;
  let ready = await consumer.caughtUp(INITIAL_CATCH_UP_WAIT_MS);
  if (!ready) {
    logger.warn({ reader }, 'room access view still reading room.access; not ready until it has');
    void consumer.caughtUp(Number.MAX_SAFE_INTEGER).then((done) => (ready = done));
  }
  logger.info({ reader }, 'room access view running');

  return {
    get: (roomId) => store.get(roomId),
    roomsOf: (userId) => store.roomsOf(userId),
    async decide(roomId, refuse) {
      const seen = await store.get(roomId);
      const refusal = refuse(seen && factsOf(seen));
      if (!refusal || !(await consumer.caughtUp(CONFIRM_REFUSAL_WAIT_MS))) return { access: seen, refusal };
      const access = await store.get(roomId);
      return { access, refusal: refuse(access && factsOf(access)) };
    },
    caughtUp: (timeoutMs) => consumer.caughtUp(timeoutMs),
    notReady: () => (ready ? [] : ['room-access-view']),
    stop: () => consumer.stop(),
  };
};
