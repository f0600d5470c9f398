import { Type, type Static } from '@sinclair/typebox';
import { AssignableRole } from '../message/events';
import { Timestamp, UserId } from '../primitives';

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
