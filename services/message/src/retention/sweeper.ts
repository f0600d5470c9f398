import type { Bus } from '@chat/bus';
import { Topics, type CommandRecord } from '@chat/contracts';
import { repeatEvery, type Logger } from '@chat/runtime';
import type { MessageReadModel } from '../read-model/port';
import { DAY_MS, type RetentionPolicy } from './decide';
import type { RoomKeyShredder } from './key-shredder';

/** Messages one expiry of a room covers at most: a room years behind catches up over several sweeps. */
export const MAX_EXPIRED_PER_ROOM = 10_000;

export interface RetentionSweepDeps {
  bus: Bus;
  readModel: Pick<MessageReadModel, 'listRoomRetention' | 'lastSeqBefore'>;
  /** The key store of content encryption at rest. */
  keys: RoomKeyShredder;
  policy: RetentionPolicy;
  /** Rooms one sweep looks at (`messages.retention_sweep_max_rooms`). */
  maxRooms: number;
  /** The time, in ms since the epoch: injected so a test decides what is old. */
  now: () => number;
  logger: Logger;
}

export interface SweepResult {
  /** Where the next sweep goes on (null: from the first room again). */
  next: string | null;
  /** Rooms an expiry was asked for. */
  expiring: number;
  keysDestroyed: number;
}

/** An expiry of the room's messages up to `throughSeq`, as a system command keyed by room. */
const expiryRecord = (roomId: string, throughSeq: number, cutoff: string, issuedAt: string) => {
  // Derived from what it expires: a repeat, by this replica or another, is recognised as one.
  const commandId = `retention:${roomId}:${throughSeq}`;
  const record: CommandRecord = {
    context: {
      command_id: commandId,
      correlation_id: commandId,
      actor_id: 'system',
      actor_is_admin: false,
      issued_at: issuedAt,
      reply_to: null,
    },
    command: { type: 'ExpireHistory', data: { room_id: roomId, through_seq: throughSeq, cutoff } },
  };
  return { key: roomId, value: JSON.stringify(record) };
};

/**
 * One sweep over up to `maxRooms` rooms after `after`: for each, the cutoff its retention sets
 * now; an `ExpireHistory` command for the messages created before it, published on
 * `message.commands` keyed by room, so the room's one writer decides it in order with the room's
 * other commands (the decider checks the cutoff against the retention and ignores repeats, so
 * sweeps by several replicas at once are harmless); and the room's keys older than the cutoff
 * destroyed.
 */
export const sweepOnce = async (deps: RetentionSweepDeps, after: string | null): Promise<SweepResult> => {
  const rooms = await deps.readModel.listRoomRetention(after, deps.maxRooms);
  const now = deps.now();
  const issuedAt = new Date(now).toISOString();
  const records: { key: string; value: string }[] = [];
  let keysDestroyed = 0;
  for (const room of rooms) {
    const cutoff = new Date(now - (room.retention_days ?? deps.policy.default_days) * DAY_MS);
    const old = await deps.readModel.lastSeqBefore(room.room_id, cutoff);
    if (old === 0) continue;
    // Asked again while the room has old content: a key's period may end before the cutoff later
    // than its messages expired.
    keysDestroyed += await deps.keys.destroyRoomKeysBefore(room.room_id, cutoff.getTime());
    const throughSeq = Math.min(old, room.expired_through_seq + MAX_EXPIRED_PER_ROOM);
    if (throughSeq > room.expired_through_seq) {
      records.push(expiryRecord(room.room_id, throughSeq, cutoff.toISOString(), issuedAt));
    }
  }
  if (records.length > 0) await deps.bus.publish(Topics.messageCommands, records);
  const next = rooms.length === deps.maxRooms ? rooms[rooms.length - 1]!.room_id : null;
  return { next, expiring: records.length, keysDestroyed };
};

/** Sweeps at start and then every `everyMs`, each sweep going on where the last one stopped. */
export const startRetentionSweeper = (
  deps: RetentionSweepDeps & { everyMs: number },
): { stop(): Promise<void> } => {
  let after: string | null = null;
  const sweep = async () => {
    const result = await sweepOnce(deps, after);
    after = result.next;
    if (result.expiring > 0 || result.keysDestroyed > 0) {
      deps.logger.info(
        { rooms: result.expiring, keys_destroyed: result.keysDestroyed },
        'retention sweep expired old messages',
      );
    }
  };
  return repeatEvery(deps.everyMs, sweep, (error) =>
    deps.logger.warn({ err: error }, 'retention sweep failed; next time'),
  );
};
