import type { EventOf, EventRecord, RoomAccess, ServerFrameOf } from '@chat/contracts';
import type { GatewayContext } from '../context';

/** The `report_created` frame of a `MessageReported` event, and who moderates its room; null for other events. */
export const reportCreatedOf = (
  event: EventRecord,
  access: RoomAccess | null,
): { frame: ServerFrameOf<'report_created'>; moderators: string[] } | null => {
  if (event.type !== 'MessageReported' || !access) return null;
  const data = event.data as EventOf<'MessageReported'>['data'];
  const moderators = access.members
    .filter((member) => member.role === 'owner' || member.role === 'moderator')
    .map((member) => member.user_id);
  return { frame: { type: 'report_created', ...data }, moderators };
};

/**
 * Tells the room's owner and moderators, on every socket this gateway holds of them, that a message
 * was reported. Every gateway reads every event, so each moderator hears it wherever they are
 * connected; the room's members are never told (a report is not a room event).
 */
export const deliverReportCreated = async (ctx: GatewayContext, event: EventRecord): Promise<void> => {
  if (event.type !== 'MessageReported') return;
  const { room_id } = event.data as EventOf<'MessageReported'>['data'];
  const report = reportCreatedOf(event, await ctx.access.get(room_id));
  if (!report) return;
  const text = JSON.stringify(report.frame);
  for (const userId of report.moderators) {
    for (const connection of ctx.usersOnline.get(userId) ?? [])
      ctx.outbox.sendRaw(connection, text, report.frame.type);
  }
};
