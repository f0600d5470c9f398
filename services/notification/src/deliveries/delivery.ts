import type { NotificationEventOf, NotificationServiceEvent } from '@chat/contracts';

/** The delivery-stream events (`notify-delivery-<id>`): one message to one target. */
export type DeliveryEvent = Extract<
  NotificationServiceEvent,
  { type: 'DeliveryRequested' | 'DeliveryAttemptFailed' | 'DeliverySucceeded' | 'DeliveryAbandoned' }
>;

/** What every delivery event repeats: which message goes where. */
export type DeliveryRef = Omit<NotificationEventOf<'DeliveryRequested'>['data'], 'requested_at' | 'payload'>;

export interface DeliveryState {
  status: 'absent' | 'pending' | 'delivered' | 'abandoned';
  /** Attempts made so far. */
  attempts: number;
  lastError: string | null;
}

export const initialDeliveryState: DeliveryState = { status: 'absent', attempts: 0, lastError: null };

export const evolveDelivery = (state: DeliveryState, event: DeliveryEvent): DeliveryState => {
  switch (event.type) {
    case 'DeliveryRequested':
      return { ...state, status: 'pending' };
    case 'DeliveryAttemptFailed':
      return { ...state, attempts: event.data.attempt, lastError: event.data.error };
    case 'DeliverySucceeded':
      return { ...state, status: 'delivered', attempts: event.data.attempt };
    case 'DeliveryAbandoned':
      return { ...state, status: 'abandoned' };
  }
};
