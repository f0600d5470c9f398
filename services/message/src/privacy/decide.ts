import { reject, type Rejection, type Result, type UserErased, type UserStreamEvent } from '@chat/contracts';
import { accept, refuse, type Decider } from '@chat/event-sourcing';

/** Who asks, and when: set by the route, so the decider stays pure. */
export interface ErasureContext {
  actor_id: string;
  actor_is_admin: boolean;
  decided_at: string;
}

export interface EraseUser {
  type: 'EraseUser';
  data: { user_id: string };
  context: ErasureContext;
}

/** The user's erasure, once it happened: it is final. */
export type ErasureState = UserErased | null;

/** A user may erase themself; an administrator anyone. */
export const erasureRefusal = (context: ErasureContext, userId: string): Rejection | null =>
  context.actor_id === userId || context.actor_is_admin
    ? null
    : reject('forbidden', "Only the user themself or an administrator may erase a user's data.");

/**
 * Erasing a user (GDPR art. 17) is recorded once, without content; erasing again decides nothing,
 * so a repeated request has the effect of one.
 */
export const erasureDecider: Decider<EraseUser, UserStreamEvent, ErasureState> = {
  initialState: null,
  decide: ({ data, context }, state): Result<UserStreamEvent[], Rejection> => {
    const refusal = erasureRefusal(context, data.user_id);
    if (refusal) return refuse(refusal);
    if (state !== null) return accept();
    return accept({
      type: 'UserErased',
      data: { user_id: data.user_id, erased_by: context.actor_id, erased_at: context.decided_at },
    });
  },
  // The user's stream holds their suspensions too, which change nothing here.
  evolve: (state, event) => (event.type === 'UserErased' ? event.data : state),
};
