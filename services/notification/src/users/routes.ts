import { createHash, randomBytes } from 'node:crypto';
import {
  DeadLetter,
  ErrorBody,
  MuteParams,
  NotificationSettings,
  NotificationSettingsBody,
  PushSubscriptionBody,
  PushSubscriptionView,
  SubscriptionParams,
  UnreadCount,
  VapidPublicKey,
  WebhookBody,
  WebhookView,
  type Rejection,
  type Result,
} from '@chat/contracts';
import { HttpRejection, principalOf, type HttpApp } from '@chat/runtime';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { DestinationPolicy } from '../deliveries/destinations';
import type { NotificationReadModel } from '../read-model/port';
import type { UnreadCounts } from '../unread/unread-counts';
import type { Actor, UserHandler } from './user-handler';

const errorResponses = (...statuses: number[]) =>
  Object.fromEntries([400, 401, ...statuses].map((status) => [status, ErrorBody])) as Record<
    number,
    typeof ErrorBody
  >;

const orReject = <T>(result: Result<T, Rejection>): T => {
  if (!result.ok) throw new HttpRejection(result.error.code, result.error.message);
  return result.value;
};

/** Derived from owner and endpoint: registering the same browser again is the same subscription. */
export const subscriptionIdOf = (userId: string, endpoint: string): string =>
  `sub_${createHash('sha256').update(`${userId}|${endpoint}`).digest('base64url').slice(0, 22)}`;

/** The URL, normalised, when the policy lets notifications go there; else the refusal, naming the field. */
const destinationOf = async (policy: DestinationPolicy, text: string, field: string): Promise<string> => {
  const refusal = await policy.refusalOf(text);
  if (refusal) throw new HttpRejection(refusal.code, `${field}: ${refusal.message}`);
  return new URL(text).toString();
};

/**
 * `/api/notifications`: one's own push subscriptions, webhook, muted rooms, unread counts and
 * dead letters. Every route acts on the caller's own data only.
 */
export const registerNotificationRoutes = (
  app: HttpApp,
  deps: {
    users: UserHandler;
    readModel: Pick<NotificationReadModel, 'subscriptionsOf' | 'deadLetters'>;
    unreadCounts: UnreadCounts;
    vapidPublicKey: string;
    destinations: DestinationPolicy;
  },
): void => {
  const { users, readModel, unreadCounts } = deps;
  const tags = ['notifications'];
  const actorOf = (request: FastifyRequest): Actor => ({
    userId: principalOf(request).userId,
    correlationId: request.id,
  });
  const contextOf = (actor: Actor) => ({ actor_id: actor.userId, decided_at: new Date().toISOString() });

  app.get(
    '/api/notifications/vapid-public-key',
    {
      schema: {
        tags,
        summary: 'The VAPID public key: the applicationServerKey of PushManager.subscribe',
        response: { 200: VapidPublicKey, ...errorResponses() },
      },
    },
    async () => ({ public_key: deps.vapidPublicKey }),
  );

  app.post(
    '/api/notifications/subscriptions',
    {
      schema: {
        tags,
        summary: 'Register a Web Push subscription (as PushSubscription.toJSON() gives it)',
        description: 'Registering the same endpoint again returns the same subscription.',
        body: PushSubscriptionBody,
        response: { 201: PushSubscriptionView, ...errorResponses() },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const endpoint = await destinationOf(deps.destinations, request.body.endpoint, 'endpoint');
      const subscription_id = subscriptionIdOf(actor.userId, endpoint);
      const state = orReject(
        await users.execute(
          actor,
          {
            type: 'Subscribe',
            data: { subscription_id, endpoint, keys: request.body.keys },
            context: contextOf(actor),
          },
          { visible: true },
        ),
      );
      const stored = (await readModel.subscriptionsOf(actor.userId)).find(
        (each) => each.subscription_id === subscription_id,
      );
      return reply.code(201).send({
        subscription_id,
        endpoint: state.subscriptions[subscription_id]?.endpoint ?? endpoint,
        created_at: stored?.created_at ?? new Date().toISOString(),
      });
    },
  );

  app.get(
    '/api/notifications/subscriptions',
    {
      schema: {
        tags,
        summary: "The caller's push subscriptions",
        response: { 200: Type.Array(PushSubscriptionView), ...errorResponses() },
      },
    },
    async (request) =>
      (await readModel.subscriptionsOf(actorOf(request).userId)).map(
        ({ subscription_id, endpoint, created_at }) => ({ subscription_id, endpoint, created_at }),
      ),
  );

  app.delete(
    '/api/notifications/subscriptions/:subscription_id',
    {
      schema: {
        tags,
        summary: 'Remove one of the caller’s push subscriptions',
        params: SubscriptionParams,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      orReject(
        await users.execute(
          actor,
          {
            type: 'Unsubscribe',
            data: { subscription_id: request.params.subscription_id, reason: 'unsubscribed' },
            context: contextOf(actor),
          },
          { visible: true },
        ),
      );
      return reply.code(204).send(null);
    },
  );

  for (const [method, type] of [
    ['put', 'MuteRoom'],
    ['delete', 'UnmuteRoom'],
  ] as const) {
    app[method](
      '/api/notifications/mutes/:room_id',
      {
        schema: {
          tags,
          summary: type === 'MuteRoom' ? 'Mute a room: no pushes for it' : 'Unmute a room',
          params: MuteParams,
          response: { 204: Type.Null(), ...errorResponses() },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        orReject(
          await users.execute(
            actor,
            { type, data: { room_id: request.params.room_id }, context: contextOf(actor) },
            { visible: true },
          ),
        );
        return reply.code(204).send(null);
      },
    );
  }

  app.put(
    '/api/notifications/webhook',
    {
      schema: {
        tags,
        summary: "Register (or replace) the caller's webhook",
        description:
          'Each notification is POSTed as JSON with `X-Chat-Signature: sha256=<hex HMAC-SHA256 of the body>`, ' +
          'keyed with the `secret` returned here (shown once; registering again makes a new one).',
        body: WebhookBody,
        response: { 200: WebhookView, ...errorResponses() },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const url = await destinationOf(deps.destinations, request.body.url, 'url');
      const secret = randomBytes(32).toString('base64url');
      orReject(
        await users.execute(
          actor,
          { type: 'RegisterWebhook', data: { url, secret }, context: contextOf(actor) },
          { visible: true },
        ),
      );
      return { url, secret };
    },
  );

  app.delete(
    '/api/notifications/webhook',
    {
      schema: {
        tags,
        summary: "Remove the caller's webhook",
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      orReject(
        await users.execute(
          actor,
          { type: 'RemoveWebhook', data: {}, context: contextOf(actor) },
          { visible: true },
        ),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/notifications/unread',
    {
      schema: {
        tags,
        summary: 'Unread messages per room: what a client coming back online catches up on',
        description:
          'Per room the caller is a member of: messages by others after the last `mark_read`, and the ' +
          "room's newest seq. Rejoin each room with `join_room {last_seq}` to receive what was missed.",
        response: { 200: Type.Array(UnreadCount), ...errorResponses() },
      },
    },
    async (request) => unreadCounts(actorOf(request).userId),
  );

  app.get(
    '/api/notifications/settings',
    {
      schema: {
        tags,
        summary: "The caller's notification settings",
        response: { 200: NotificationSettings, ...errorResponses() },
      },
    },
    async (request) => ({ read_receipts: (await users.stateOf(actorOf(request).userId)).readReceipts }),
  );

  app.put(
    '/api/notifications/settings',
    {
      schema: {
        tags,
        summary: "Change the caller's notification settings",
        description:
          "With `read_receipts: false` the rooms' other members no longer see how far the caller has read " +
          '(no `receipt` frames, and the caller leaves `GET /api/rooms/{room_id}/receipts`); `mark_read` ' +
          "still clears the caller's own unread counts.",
        body: NotificationSettingsBody,
        response: { 200: NotificationSettings, ...errorResponses() },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      let state = await users.stateOf(actor.userId);
      if (request.body.read_receipts !== undefined) {
        state = orReject(
          await users.execute(
            actor,
            {
              type: 'SetReadReceipts',
              data: { read_receipts: request.body.read_receipts },
              context: contextOf(actor),
            },
            // Nothing of this service's read model changes: what others see is the message service's.
            { visible: false },
          ),
        );
      }
      return { read_receipts: state.readReceipts };
    },
  );

  app.get(
    '/api/notifications/dead-letters',
    {
      schema: {
        tags,
        summary: "The caller's notifications that could not be delivered",
        response: { 200: Type.Array(DeadLetter), ...errorResponses() },
      },
    },
    async (request) => readModel.deadLetters(actorOf(request).userId),
  );
};
