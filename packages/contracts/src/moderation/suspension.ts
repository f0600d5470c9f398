import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Timestamp, UserId } from '../primitives';

/**
 * Platform suspensions: an administrator suspends a user everywhere. Events of the stream
 * `user-<user_id>` in the message service's store, relayed to the compacted topic
 * `user.suspensions`; each is the user's whole suspension state.
 */
export const UserSuspensionEvents = {
  UserSuspended: Type.Object({
    user_id: UserId,
    reason: Type.String(),
    until: Type.Union([Timestamp, Type.Null()], {
      description: 'When it ends by itself; null: until lifted.',
    }),
    suspended_by: UserId,
    suspended_at: Timestamp,
  }),
  UserUnsuspended: Type.Object({ user_id: UserId, unsuspended_by: UserId, unsuspended_at: Timestamp }),
} satisfies Record<string, TObject>;

export type UserSuspensionEvent = {
  [K in keyof typeof UserSuspensionEvents]: { type: K; data: Static<(typeof UserSuspensionEvents)[K]> };
}[keyof typeof UserSuspensionEvents];

export const UserStreamPrefix = 'user-';
export const userStream = (userId: string): string => `${UserStreamPrefix}${userId}`;

export const SuspendUserBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  until: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'When it ends by itself (in the future); absent: until lifted.',
    }),
  ),
});

export const Suspension = Type.Object({
  user_id: UserId,
  reason: Type.String(),
  until: Type.Union([Timestamp, Type.Null()]),
  suspended_by: UserId,
  suspended_at: Timestamp,
});
export type Suspension = Static<typeof Suspension>;

export const UserParams = Type.Object({ user_id: UserId });
