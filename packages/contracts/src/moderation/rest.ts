import { Type, type Static } from '@sinclair/typebox';
import { AssignableRole, ReportAction } from '../message/events';
import { MessageId, RoomId, Seq, Timestamp, UserId } from '../primitives';

/** REST shapes of room moderation: roles, bans and mutes. */

export const ChangeRoleBody = Type.Object({ role: AssignableRole });

const Until = Type.Optional(
  Type.String({
    format: 'date-time',
    description: 'When it ends by itself (in the future); absent: until lifted.',
  }),
);

export const BanBody = Type.Object({
  user_id: UserId,
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  until: Until,
});

export const Ban = Type.Object({
  user_id: UserId,
  reason: Type.Union([Type.String(), Type.Null()]),
  until: Type.Union([Timestamp, Type.Null()], { description: 'null: until lifted.' }),
  banned_by: UserId,
  banned_at: Timestamp,
});
export type Ban = Static<typeof Ban>;

export const BanList = Type.Object({
  bans: Type.Array(Ban, { description: 'The bans in force, by user id.' }),
});

export const MuteBody = Type.Object({ user_id: UserId, until: Until });

export const Mute = Type.Object({
  user_id: UserId,
  until: Type.Union([Timestamp, Type.Null()], { description: 'null: until lifted.' }),
});

export const ReportBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) });

export const ReportStatus = Type.Union([Type.Literal('open'), Type.Literal('resolved')]);

export const Report = Type.Object({
  report_id: Type.String(),
  room_id: RoomId,
  message_id: MessageId,
  seq: Seq,
  sender_id: UserId,
  reporter_id: UserId,
  reason: Type.String(),
  reported_at: Timestamp,
  status: ReportStatus,
  action: Type.Union([ReportAction, Type.Null()], { description: 'What resolved it; null while open.' }),
  resolved_by: Type.Union([UserId, Type.Null()]),
  resolved_at: Type.Union([Timestamp, Type.Null()]),
});
export type Report = Static<typeof Report>;

export const ReportList = Type.Object({
  reports: Type.Array(Report, { description: 'Oldest first.' }),
});

export const ReportsQuery = Type.Object({
  status: Type.Optional(ReportStatus),
  room_id: Type.Optional(RoomId),
});

export const ReportParams = Type.Object({ report_id: Type.String({ minLength: 1, maxLength: 300 }) });

export const ResolveReportBody = Type.Object({
  action: ReportAction,
  until: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'With `ban` or `mute`: when it ends; absent: until lifted.',
    }),
  ),
});
