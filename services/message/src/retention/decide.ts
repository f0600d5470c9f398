import { reject, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import type { Settings } from '@chat/runtime';
import type { DecisionContext, RoomCommandOf, RoomEvent } from '../room-command';
import { roomNotFound } from '../rooms/access';
import type { RoomState } from '../rooms/room';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The deployment's retention (`messages.retention_days*`): its default and the bounds a room's own lies within. */
export interface RetentionPolicy {
  default_days: number;
  min_days: number;
  max_days: number;
}

export const retentionPolicyOf = ({ messages }: Settings): RetentionPolicy => ({
  default_days: messages.retention_days,
  min_days: messages.retention_days_min,
  max_days: messages.retention_days_max,
});

/** How many days the room keeps its messages: its own setting, else the deployment's. */
export const retentionDaysOf = (state: RoomState, policy: RetentionPolicy): number =>
  state.retentionDays ?? policy.default_days;

/** The latest cutoff the room's retention allows at `at`: messages created before it may expire. */
export const latestCutoff = (retentionDays: number, at: number): number => at - retentionDays * DAY_MS;

/** A room's own retention outside the deployment's bounds is refused; null (the default) never is. */
export const refuseRetention = (days: number | null, context: DecisionContext): Rejection | null => {
  const { min_days, max_days } = context.retention;
  if (days === null || (days >= min_days && days <= max_days)) return null;
  return reject('invalid_request', `A room keeps its messages between ${min_days} and ${max_days} days.`);
};

export const retentionChanged = (
  roomId: string,
  days: number | null,
  context: DecisionContext,
): RoomEvent => ({
  type: 'RoomRetentionChanged',
  data: {
    room_id: roomId,
    retention_days: days,
    changed_by: context.actor_id,
    changed_at: context.decided_at,
  },
});

/**
 * Expires the room's messages up to `through_seq`. A sweep that repeats one already decided, or
 * comes behind a further one (another replica's, a redelivery), changes nothing; a cutoff later
 * than the room's retention allows at the time of deciding is refused, whoever asks.
 */
export const decideExpireHistory = (
  { data, context }: RoomCommandOf<'ExpireHistory'>,
  state: RoomState,
): Result<RoomEvent[], Rejection> => {
  if (state.status === 'absent') return refuse(roomNotFound());
  if (data.through_seq <= state.expiredThroughSeq) return accept();
  if (data.through_seq > state.lastSeq) {
    return refuse(reject('invalid_request', `Room ${data.room_id} has no message ${data.through_seq} yet.`));
  }
  const days = retentionDaysOf(state, context.retention);
  if (Date.parse(data.cutoff) > latestCutoff(days, Date.parse(context.decided_at))) {
    return refuse(reject('invalid_request', `Room ${data.room_id} keeps its messages for ${days} days.`));
  }
  return accept({
    type: 'RoomHistoryExpired',
    data: {
      room_id: data.room_id,
      through_seq: data.through_seq,
      cutoff: data.cutoff,
      expired_at: context.decided_at,
    },
  });
};
