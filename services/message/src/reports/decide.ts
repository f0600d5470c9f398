import { reject, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import { findMessage } from '../messages/edit';
import { decideDeleteMessage } from '../messages/delete';
import { decideModeration } from '../moderation/decide';
import type { RoomCommandOf, RoomEvent } from '../room-command';
import { refuseNonMember, refuseNonModerator } from '../rooms/access';
import type { RoomState } from '../rooms/room';
import { reportIdFor } from './report-id';

type Decision = Result<RoomEvent[], Rejection>;

export const reportNotFound = (): Rejection => reject('report_not_found', 'Report not found.');

/**
 * A member reports a message of the room, not deleted and not their own, to its moderators. A
 * member's report of a message has one id: reporting it again decides nothing.
 */
export const decideReportMessage = (
  { data, context }: RoomCommandOf<'ReportMessage'>,
  state: RoomState,
): Decision => {
  const outsider = refuseNonMember(state, context);
  if (outsider) return refuse(outsider);
  const message = findMessage(state, data.message_id);
  if (!message.ok) return message;
  if (message.value.deleted) return refuse(reject('message_not_found', 'Message not found.'));
  if (message.value.senderId === context.actor_id) {
    return refuse(reject('invalid_request', 'You cannot report your own message.'));
  }
  const report_id = reportIdFor(data.room_id, data.message_id, context.actor_id);
  if (state.reports.has(report_id)) return accept();
  return accept({
    type: 'MessageReported',
    data: {
      room_id: data.room_id,
      report_id,
      message_id: data.message_id,
      seq: message.value.seq,
      sender_id: message.value.senderId,
      reporter_id: context.actor_id,
      reason: data.reason.trim(),
      reported_at: context.decided_at,
    },
  });
};

/**
 * A moderator resolves an open report: dismisses it, or deletes the message, or bans or mutes its
 * sender — each exactly as the command of its own would (the same refusals: a moderator does not
 * ban a moderator, nobody bans the owner), its events first, then `ReportResolved`. A resolved
 * report decides nothing again.
 */
export const decideResolveReport = (
  { data, context }: RoomCommandOf<'ResolveReport'>,
  state: RoomState,
): Decision => {
  const notModerator = refuseNonModerator(state, context);
  if (notModerator) return refuse(notModerator.code === 'forbidden' ? reportNotFound() : notModerator);
  const report = state.reports.get(data.report_id);
  if (!report) return refuse(reportNotFound());
  if (report.resolution) return accept();
  const { room_id } = data;
  const target = { room_id, user_id: report.sender_id, ...(data.until ? { until: data.until } : {}) };
  const acted: Decision =
    data.action === 'delete_message'
      ? decideDeleteMessage(
          { type: 'DeleteMessage', data: { room_id, message_id: report.message_id }, context },
          state,
        )
      : data.action === 'ban'
        ? decideModeration({ type: 'BanMember', data: { ...target, reason: report.reason }, context }, state)
        : data.action === 'mute'
          ? decideModeration({ type: 'MuteMember', data: target, context }, state)
          : accept();
  if (!acted.ok) return acted;
  return accept(...acted.value, {
    type: 'ReportResolved',
    data: {
      room_id,
      report_id: data.report_id,
      action: data.action,
      resolved_by: context.actor_id,
      resolved_at: context.decided_at,
    },
  });
};
