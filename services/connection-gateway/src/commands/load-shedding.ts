import type { GatewayContext } from '../context';
import type { Connection } from '../sessions/connection';

/**
 * Sheds a new send while the message service is behind: once the oldest command this gateway
 * awaits an answer for has waited longer than `websocket.max_command_lag_ms`, a send is refused
 * at once with `overloaded` and a `retry_after_ms` of that lag, instead of joining a queue its
 * answer would come out of seconds later. What was accepted before is still decided and answered.
 * Returns true when the send was refused (counted in `chat_ws_errors_total{code="overloaded"}`).
 */
export const shedIfBehind = (ctx: GatewayContext, connection: Connection, ref: string): boolean => {
  const lagMs = ctx.pending.lagMs();
  if (lagMs <= ctx.settings.websocket.max_command_lag_ms) return false;
  ctx.outbox.error(
    connection,
    'overloaded',
    'The server is behind; send again after retry_after_ms.',
    ref,
    lagMs,
  );
  return true;
};
