import { CloseCode } from '@chat/contracts';
import type { GatewayContext } from '../context';

/**
 * Closes every socket this gateway holds of a user an administrator just suspended (close code
 * 4007); the authenticator refuses their next `authenticate` with `suspended` while it lasts.
 */
export const closeSuspended = (ctx: GatewayContext, userId: string): void => {
  for (const connection of [...(ctx.usersOnline.get(userId) ?? [])]) {
    ctx.outbox.close(connection, CloseCode.suspended, 'suspended');
  }
};
