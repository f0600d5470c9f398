import {
  reject,
  type Rejection,
  type Result,
  type UserStreamEvent,
  type UserSuspensionEvent,
} from '@chat/contracts';
import { accept, refuse, type Decider } from '@chat/event-sourcing';

/** Who asks, and when: set by the route, so the decider stays pure. */
export interface SuspensionContext {
  actor_id: string;
  actor_is_admin: boolean;
  decided_at: string;
}

export type SuspensionCommand =
  | {
      type: 'SuspendUser';
      data: { user_id: string; reason: string; until?: string };
      context: SuspensionContext;
    }
  | { type: 'UnsuspendUser'; data: { user_id: string }; context: SuspensionContext };

/** A user's suspension as their stream tells it: the newest event is the whole of it. */
export type SuspensionState = Extract<UserSuspensionEvent, { type: 'UserSuspended' }>['data'] | null;

const refuseNonAdmin = (context: SuspensionContext): Rejection | null =>
  context.actor_is_admin ? null : reject('forbidden', 'Only an administrator may suspend users.');

/** The suspension holds at `now`: it has no end, or its end is later. */
export const suspensionHolds = (state: SuspensionState, now: string): boolean =>
  state !== null && (state.until === null || state.until > now);

const suspend = (
  { data, context }: Extract<SuspensionCommand, { type: 'SuspendUser' }>,
  state: SuspensionState,
) => {
  if (data.user_id === context.actor_id)
    return refuse(reject('invalid_request', 'You cannot suspend yourself.'));
  const until = data.until === undefined ? null : new Date(data.until);
  if (until && (Number.isNaN(until.getTime()) || until.toISOString() <= context.decided_at)) {
    return refuse(reject('invalid_request', '`until` is a time in the future.'));
  }
  const reason = data.reason.trim();
  const untilIso = until?.toISOString() ?? null;
  if (suspensionHolds(state, context.decided_at) && state!.reason === reason && state!.until === untilIso) {
    return accept<UserSuspensionEvent>();
  }
  return accept<UserSuspensionEvent>({
    type: 'UserSuspended',
    data: {
      user_id: data.user_id,
      reason,
      until: untilIso,
      suspended_by: context.actor_id,
      suspended_at: context.decided_at,
    },
  });
};

/**
 * An administrator suspends a user platform-wide (never themself), until a time or until lifted;
 * suspending again replaces the reason and end. Lifting a suspension that does not hold decides
 * nothing.
 */
export const suspensionDecider: Decider<SuspensionCommand, UserStreamEvent, SuspensionState> = {
  initialState: null,
  decide: (command, state): Result<UserSuspensionEvent[], Rejection> => {
    const notAdmin = refuseNonAdmin(command.context);
    if (notAdmin) return refuse(notAdmin);
    if (command.type === 'SuspendUser') return suspend(command, state);
    if (state === null) return accept();
    return accept({
      type: 'UserUnsuspended',
      data: {
        user_id: command.data.user_id,
        unsuspended_by: command.context.actor_id,
        unsuspended_at: command.context.decided_at,
      },
    });
  },
  // The user's stream holds their erasure too, which leaves the suspension as it was.
  evolve: (state, event) => {
    if (event.type === 'UserSuspended') return event.data;
    return event.type === 'UserUnsuspended' ? null : state;
  },
};
