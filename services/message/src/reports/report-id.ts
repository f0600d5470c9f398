import { createHash } from 'node:crypto';
import { RoomId } from '@chat/contracts';

const PREFIX = 'rpt_';
const ROOM_ID = new RegExp(RoomId.pattern!);

/**
 * A report's id: its room (so `/api/moderation/reports/{report_id}` finds the room's stream without
 * an index) and a digest of the message and the reporter (so a member's second report of a message
 * is recognised as the first).
 */
export const reportIdFor = (roomId: string, messageId: string, reporterId: string): string =>
  `${PREFIX}${Buffer.from(roomId).toString('base64url')}.${createHash('sha256')
    .update(JSON.stringify([roomId, messageId, reporterId]))
    .digest('base64url')
    .slice(0, 22)}`;

/** The room a report id names, or null for a string that is no report id. */
export const roomOfReport = (reportId: string): string | null => {
  const match = /^rpt_([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]{22}$/.exec(reportId);
  if (!match) return null;
  const roomId = Buffer.from(match[1]!, 'base64url').toString();
  return ROOM_ID.test(roomId) && roomId.length <= 128 ? roomId : null;
};
