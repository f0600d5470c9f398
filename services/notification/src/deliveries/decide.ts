import type { PushPayload, Rejection, Result } from '@chat/contracts';
import { accept, type Decider } from '@chat/event-sourcing';
import {
  evolveDelivery,
  initialDeliveryState,
  type DeliveryEvent,
  type DeliveryRef,
  type DeliveryState,
} from './delivery';

/** What one attempt gave: `gone` when the push service says the subscription no longer exists. */
export type AttemptResult =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; gone: boolean };

export type DeliveryCommand =
  | { type: 'RequestDelivery'; data: DeliveryRef & { payload: PushPayload }; context: { decided_at: string } }
  | {
      type: 'RecordAttempt';
      data: DeliveryRef & { attempt: number; result: AttemptResult };
      context: { decided_at: string; max_attempts: number };
    };

type Decision = Result<DeliveryEvent[], Rejection>;

/**
 * A delivery is requested once, then attempted until it succeeds, the target is gone (404/410 from
 * a push service) or `max_attempts` failed: then it is abandoned, which is its dead letter. An
 * attempt recorded twice (same number) or after the end decides nothing.
 */
const decideDelivery = (command: DeliveryCommand, state: DeliveryState): Decision => {
  const at = command.context.decided_at;
  if (command.type === 'RequestDelivery') {
    return state.status === 'absent'
      ? accept({ type: 'DeliveryRequested', data: { ...command.data, requested_at: at } })
      : accept();
  }
  const { attempt, result, ...ref } = command.data;
  if (state.status !== 'pending' || attempt <= state.attempts) return accept();
  if (result.ok) {
    return accept({
      type: 'DeliverySucceeded',
      data: { ...ref, attempt, status: result.status, delivered_at: at },
    });
  }
  const failed: DeliveryEvent = {
    type: 'DeliveryAttemptFailed',
    data: { ...ref, attempt, status: result.status, error: result.error, failed_at: at },
  };
  const exhausted = attempt >= command.context.max_attempts;
  if (!result.gone && !exhausted) return accept(failed);
  return accept<DeliveryEvent>(failed, {
    type: 'DeliveryAbandoned',
    data: {
      ...ref,
      attempts: attempt,
      reason: result.gone ? 'gone' : 'attempts_exhausted',
      last_error: result.error,
      abandoned_at: at,
    },
  });
};

export const deliveryDecider: Decider<DeliveryCommand, DeliveryEvent, DeliveryState> = {
  initialState: initialDeliveryState,
  decide: decideDelivery,
  evolve: evolveDelivery,
};

/**
 * Exponential backoff before attempt `attempt + 1`: base · 2^(attempt−1), capped, with up to 20 %
 * jitter so that many deliveries failing together do not retry in lockstep.
 */
export const backoffMs = (attempt: number, baseMs: number, random: () => number = Math.random): number => {
  const capped = Math.min(baseMs * 2 ** (attempt - 1), 5 * 60_000);
  return Math.round(capped * (1 + 0.2 * random()));
};
