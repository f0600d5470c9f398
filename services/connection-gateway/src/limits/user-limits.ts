import type { Settings } from '@chat/runtime';
import type { GatewayContext } from '../context';
import type { Connection } from '../sessions/connection';

const MINUTE_MS = 60_000;

/** The per-user budgets frames are held to, each shared by every gateway of the deployment. */
const LIMITS = {
  messages: (s: Settings) => ({ perMinute: s.rate_limiting.messages_per_minute, what: 'messages' }),
  joins: (s: Settings) => ({ perMinute: s.rate_limiting.joins_per_minute, what: 'joins' }),
  reactions: (s: Settings) => ({ perMinute: s.rate_limiting.reactions_per_minute, what: 'reactions' }),
  presence: (s: Settings) => ({
    perMinute: s.rate_limiting.presence_updates_per_minute,
    what: 'presence updates',
  }),
} as const;

export type UserLimit = keyof typeof LIMITS;

/**
 * Takes one token of the user's budget for `limit`; when there is none, answers the frame with
 * `rate_limited` and `retry_after_ms` and returns false. The frame's turn waits for the answer, so
 * a connection's frames keep their order.
 */
export const withinLimit = async (
  ctx: GatewayContext,
  connection: Connection,
  limit: UserLimit,
  ref: string,
): Promise<boolean> => {
  const { perMinute, what } = LIMITS[limit](ctx.settings);
  const userId = connection.principal!.userId;
  const taken = await ctx.limiter.take(`${limit}:${userId}`, { capacity: perMinute, periodMs: MINUTE_MS });
  if (taken.allowed) return true;
  ctx.outbox.error(
    connection,
    'rate_limited',
    `At most ${perMinute} ${what} per minute.`,
    ref,
    taken.retryAfterMs,
  );
  return false;
};
