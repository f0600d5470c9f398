import type { EventOf, EventRecord, ServerFrameOf } from '@chat/contracts';
import type { GatewayContext } from '../context';

/** The `mls_welcome` frame a commit's added members are owed, and who they are. */
export const welcomeOf = (
  event: EventRecord,
): { frame: ServerFrameOf<'mls_welcome'>; recipients: string[] } | null => {
  if (event.type !== 'MlsWelcomeSent') return null;
  const { room_id, seq, recipients, welcome } = event.data as EventOf<'MlsWelcomeSent'>['data'];
  return { frame: { type: 'mls_welcome', room_id, seq, welcome }, recipients };
};

/**
 * Hands a Welcome to every socket this gateway holds of its recipients (every gateway reads every
 * event). One offline, or whose socket misses it, finds it at `GET /api/mls/welcomes` until they
 * acknowledge it.
 */
export const deliverWelcome = (ctx: GatewayContext, event: EventRecord): void => {
  const welcome = welcomeOf(event);
  if (!welcome) return;
  const text = JSON.stringify(welcome.frame);
  for (const userId of welcome.recipients) {
    for (const connection of ctx.usersOnline.get(userId) ?? []) {
      ctx.outbox.sendRaw(connection, text, welcome.frame.type);
    }
  }
};
