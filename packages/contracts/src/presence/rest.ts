import { Type, type Static } from '@sinclair/typebox';
import { PresenceStatus, RoomId, Timestamp, UserId } from '../primitives';

/** Shapes of the presence service's REST API (`/api/presence`). */
export const UserPresence = Type.Object({
  user_id: UserId,
  status: PresenceStatus,
  last_seen: Type.Union([Timestamp, Type.Null()], {
    description: 'When the user was last seen present (null: never).',
  }),
  devices: Type.Integer({ minimum: 0, description: 'Live connections (0 while offline).' }),
});
export type UserPresence = Static<typeof UserPresence>;

export const RoomPresence = Type.Object({ room_id: RoomId, members: Type.Array(UserPresence) });
export type RoomPresence = Static<typeof RoomPresence>;

export const PresenceUserParams = Type.Object({ user_id: UserId });
