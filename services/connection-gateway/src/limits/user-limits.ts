import { userBucket, type UserLimit } from '@chat/runtime';
import type { GatewayContext } from '../context';
import type { Connection } from '../sessions/connection';

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
  const { key, rule, refusal } = userBucket(ctx.settings, limit, connection.principal!.userId);
  const taken = await ctx.limiter.take(key, rule);
  if (taken.allowed) return true;
  ctx.outbox.error(connection, 'rate_limited', refusal, ref, taken.retryAfterMs);
  return false;
};
