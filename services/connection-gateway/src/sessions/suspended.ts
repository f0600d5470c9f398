import { CloseCode, type Rejection } from '@chat/contracts';
import type { GatewayContext } from '../context';

/**
 * Closes every socket this gateway holds of a user just barred from the platform: suspended by an
 * administrator (close code 4007, reason `suspended`) or erased (4008, `account_erased`). The
 * authenticator refuses their next `authenticate` with the same code while the bar lasts.
 */
export const closeSuspended = (ctx: GatewayContext, userId: string, refusal: Rejection): void => {
  const code = refusal.code === 'account_erased' ? CloseCode.accountErased : CloseCode.suspended;
  for (const connection of [...(ctx.usersOnline.get(userId) ?? [])]) {
    ctx.outbox.close(connection, code, refusal.code);
  }
};
