import { previewAad, type ContentCipher } from '@chat/privacy';
import { createHash } from 'node:crypto';
import { notifyDeliveryStream, type EventOf, type PushPayload } from '@chat/contracts';
import type { AggregateRepository } from '@chat/event-sourcing';
import type { RoomAccessView } from '@chat/room-access';
import type { Logger } from '@chat/runtime';
import type { NotificationReadModel, PendingDelivery } from '../read-model/port';
import type { UserHandler } from '../users/user-handler';
import { backoffMs, type DeliveryCommand } from './decide';
import type { DeliveryEvent, DeliveryRef, DeliveryState } from './delivery';
import { isNews, membersWhenSent, payloadOf, recipientsOf } from './recipients';
import type { DeliverySender, DeliveryTarget } from './sender';

export type DeliveryRepository = AggregateRepository<DeliveryCommand, DeliveryEvent, DeliveryState>;

export interface DispatchOptions {
  /** Delay before the second attempt; doubled for each further one. */
  retryBaseMs: number;
  /** Attempts before a delivery is abandoned to the dead letters. */
  maxAttempts: number;
  /** The `ENABLE_PUSH_NOTIFICATIONS` flag, read for every message. */
  enabled: () => boolean;
  /** Deliveries attempted at once (1,000); the others wait, requested, in the read model. */
  maxActive?: number;
}

/** A message sent, with the correlation id its pushes' events carry. */
export interface SentMessage {
  message: EventOf<'MessageSent'>['data'];
  correlationId: string;
}

export interface Dispatcher {
  /**
   * For each message, in order: requests (durably) a delivery per offline, unmuted member's
   * target, then attempts them. A delivery's id derives from message, user and target: one
   * requested before is not requested again.
   */
  onMessagesSent(sent: SentMessage[]): Promise<void>;
  /**
   * Once `caughtUp` resolves (the read model shows every delivery requested so far), attempts
   * again every delivery that was pending when the process last stopped, in the background.
   */
  resumePending(caughtUp: () => Promise<void>): void;
  /** Stops retrying; attempts in flight finish. */
  stop(): Promise<void>;
}

/** Derived from what is delivered where: a redelivered message requests the same deliveries. */
export const deliveryIdOf = (messageId: string, userId: string, targetId: string): string =>
  `dlv_${createHash('sha256').update(`${messageId}|${userId}|${targetId}`).digest('base64url').slice(0, 22)}`;

/** How long a batch of messages waits for the room access view to know their rooms' members. */
const ACCESS_CAUGHT_UP_WAIT_MS = 2_000;
/** Pending deliveries read at a time when resuming. */
const RESUME_PAGE = 100;
/** Deliveries attempted at once by default: each holds its target, payload and retry timer. */
const MAX_ACTIVE = 1_000;

/**
 * The application side of pushes: who gets one (members from the room access view; presence,
 * mutes and subscriptions from the read model), the delivery streams (requested, each attempt,
 * its end), retries with exponential backoff, and removing a subscription its push service calls
 * gone.
 */
export const createDispatcher = (deps: {
  readModel: NotificationReadModel;
  access: Pick<RoomAccessView, 'get' | 'caughtUp'>;
  deliveries: DeliveryRepository;
  users: UserHandler;
  sender: DeliverySender;
  options: DispatchOptions;
  logger: Logger;
  /** Seals the preview a delivery keeps in its stream (to resume after a restart); opens it to resume. */
  cipher: ContentCipher;
}): Dispatcher => {
  const { readModel, access, deliveries, users, sender, options, logger, cipher } = deps;
  const inFlight = new Set<Promise<void>>();
  /** Deliveries being attempted here: a redelivered message does not start a second loop. */
  const active = new Set<string>();
  const maxActive = options.maxActive ?? MAX_ACTIVE;
  /** Deliveries were left waiting for a free place: the read model lists them. */
  let backlog = false;
  let draining = false;
  const stopping = new AbortController();

  const targetsOf = async (userId: string): Promise<DeliveryTarget[]> => {
    const [subscriptions, webhook] = await Promise.all([
      readModel.subscriptionsOf(userId),
      readModel.webhookOf(userId),
    ]);
    const targets: DeliveryTarget[] = subscriptions.map((subscription) => ({
      channel: 'web_push',
      target_id: subscription.subscription_id,
      subscription: { endpoint: subscription.endpoint, keys: subscription.keys },
    }));
    if (webhook) targets.push({ channel: 'webhook', target_id: 'webhook', ...webhook });
    return targets;
  };

  const record = (ref: DeliveryRef, command: DeliveryCommand, commandId: string, correlationId: string) =>
    deliveries.execute({
      streamName: notifyDeliveryStream(ref.delivery_id),
      command,
      commandId,
      metadata: { correlation_id: correlationId, causation_id: commandId, actor_id: 'system' },
    });

  const attempt = async (
    ref: DeliveryRef,
    target: DeliveryTarget,
    payload: PushPayload,
    firstAttempt: number,
    correlationId: string,
  ): Promise<void> => {
    for (let number = firstAttempt; !stopping.signal.aborted; number++) {
      const result = await sender.send(target, payload, ref.delivery_id);
      const recorded = await record(
        ref,
        {
          type: 'RecordAttempt',
          data: { ...ref, attempt: number, result },
          context: { decided_at: new Date().toISOString(), max_attempts: options.maxAttempts },
        },
        `${ref.delivery_id}:attempt:${number}`,
        correlationId,
      );
      if (!recorded.ok) return;
      const { status } = recorded.value.state;
      if (status === 'delivered') return;
      if (status === 'abandoned') {
        logger.warn(
          { delivery_id: ref.delivery_id, user_id: ref.user_id, result },
          'push delivery abandoned',
        );
        if (!result.ok && result.gone && target.channel === 'web_push') {
          await users.execute(
            { userId: ref.user_id, correlationId },
            {
              type: 'Unsubscribe',
              data: { subscription_id: target.target_id, reason: 'gone' },
              context: { actor_id: ref.user_id, decided_at: new Date().toISOString() },
            },
            { commandId: `${ref.delivery_id}:gone` },
          );
        }
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffMs(number, options.retryBaseMs));
        stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  };

  /** The target a delivery goes to, as the user has it now; null once removed. */
  const targetOf = async (userId: string, targetId: string): Promise<DeliveryTarget | null> =>
    (await targetsOf(userId)).find((target) => target.target_id === targetId) ?? null;

  /**
   * The payload as kept in the delivery's stream: its preview sealed under the sender's key, so the
   * notification events hold no content, and erasing the sender or expiring the message's day
   * empties it there too.
   */
  const sealedPayload = async (payload: PushPayload): Promise<PushPayload> => {
    const context = { scope: payload.room_id, user_id: payload.sender_id, at: payload.created_at };
    return { ...payload, preview: await cipher.seal(payload.preview, context, previewAad(payload)) };
  };

  /** A kept payload made pushable again: its preview opened, or empty once its key is gone. */
  const openedPayload = async (payload: PushPayload): Promise<PushPayload> => {
    const opened = await cipher.open(payload.preview, previewAad(payload));
    return { ...payload, preview: opened.ok ? opened.text : '' };
  };

  /** Goes on with a delivery requested before a restart, from the attempts its stream holds. */
  const resumeOne = async ({ payload: kept, requested_at: _, ...ref }: PendingDelivery): Promise<void> => {
    const payload = await openedPayload(kept);
    const { state } = await deliveries.load(notifyDeliveryStream(ref.delivery_id));
    if (state.status !== 'pending' || active.has(ref.delivery_id)) return;
    const correlationId = `resume:${ref.delivery_id}`;
    const target = await targetOf(ref.user_id, ref.target_id);
    if (target)
      return track(ref.delivery_id, () => attempt(ref, target, payload, state.attempts + 1, correlationId));
    // Unsubscribed meanwhile: nowhere to deliver to, so it ends as a dead letter.
    await record(
      ref,
      {
        type: 'RecordAttempt',
        data: {
          ...ref,
          attempt: state.attempts + 1,
          result: { ok: false, status: null, error: 'The target was removed.', gone: true },
        },
        context: { decided_at: new Date().toISOString(), max_attempts: options.maxAttempts },
      },
      `${ref.delivery_id}:attempt:${state.attempts + 1}`,
      correlationId,
    );
  };

  /** Attempts the pending deliveries the read model lists, oldest first, while there is room. */
  const resumeAll = async (caughtUp: () => Promise<void>) => {
    await caughtUp();
    let resumed = 0;
    for (let after: PendingDelivery | null = null; !stopping.signal.aborted;) {
      const page = await readModel.pendingDeliveries(after, RESUME_PAGE);
      for (const pending of page) {
        if (active.size >= maxActive) return void (backlog = true);
        await resumeOne(pending);
      }
      resumed += page.length;
      if (page.length < RESUME_PAGE) break;
      after = page.at(-1)!;
    }
    if (resumed > 0) logger.info({ deliveries: resumed }, 'pending push deliveries resumed');
  };

  /** One pass over the pending deliveries at a time: at start, and when places free up for a backlog. */
  const drain = (caughtUp: () => Promise<void>) => {
    if (draining || stopping.signal.aborted) return;
    draining = true;
    backlog = false;
    const running = resumeAll(caughtUp)
      .catch((error: unknown) => logger.error({ err: error }, 'resuming pending push deliveries failed'))
      .finally(() => {
        draining = false;
        inFlight.delete(running);
      });
    inFlight.add(running);
  };

  const track = (deliveryId: string, work: () => Promise<void>) => {
    if (active.has(deliveryId)) return;
    // Full: the delivery stays requested and pending, and is attempted once a place frees up.
    if (active.size >= maxActive) return void (backlog = true);
    active.add(deliveryId);
    const running = work()
      .catch((error: unknown) =>
        logger.error({ err: error, delivery_id: deliveryId }, 'push delivery failed'),
      )
      .finally(() => {
        active.delete(deliveryId);
        inFlight.delete(running);
        if (backlog) drain(async () => {});
      });
    inFlight.add(running);
  };

  const requestDeliveries = async ({ message, correlationId }: SentMessage): Promise<void> => {
    const members = membersWhenSent(await access.get(message.room_id), message.seq);
    const others = members.filter((user) => user !== message.sender_id);
    const [online, muted] = await Promise.all([
      readModel.onlineAmong(others),
      readModel.mutedAmong(message.room_id, others),
    ]);
    const payload = payloadOf(message);
    const kept = await sealedPayload(payload);
    const mentioned = new Set(message.mentions ?? []);
    for (const userId of recipientsOf({ members, senderId: message.sender_id, online, muted, mentioned })) {
      for (const target of await targetsOf(userId)) {
        const ref: DeliveryRef = {
          delivery_id: deliveryIdOf(message.message_id, userId, target.target_id),
          user_id: userId,
          channel: target.channel,
          target_id: target.target_id,
          room_id: message.room_id,
          message_id: message.message_id,
          seq: message.seq,
        };
        const requested = await record(
          ref,
          {
            type: 'RequestDelivery',
            data: { ...ref, payload: kept },
            context: { decided_at: new Date().toISOString() },
          },
          `${ref.delivery_id}:request`,
          correlationId,
        );
        if (!requested.ok || requested.value.state.status !== 'pending') continue;
        const first = requested.value.state.attempts + 1;
        track(ref.delivery_id, () => attempt(ref, target, payload, first, correlationId));
      }
    }
  };

  return {
    async onMessagesSent(sent) {
      if (!options.enabled()) return;
      const now = new Date();
      const news = sent.filter(({ message }) => isNews(message.created_at, now));
      if (news.length === 0) return;
      // The relay publishes `room.access` before the events of the same batch: once the view has
      // read what was published so far, it knows who had joined when these messages were sent.
      if (!(await access.caughtUp(ACCESS_CAUGHT_UP_WAIT_MS))) {
        logger.warn({ messages: news.length }, 'room access view behind; pushing to the members it knows');
      }
      for (const each of news) await requestDeliveries(each);
    },

    resumePending(caughtUp) {
      if (options.enabled()) drain(caughtUp);
    },

    async stop() {
      stopping.abort();
      await Promise.all([...inFlight]);
    },
  };
};
