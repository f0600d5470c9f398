import { Type, type Static, type TObject } from '@sinclair/typebox';
import type { UserSuspensionEvent } from '../moderation/suspension';
import { Timestamp, UserId } from '../primitives';

/**
 * Erasure of a user's personal data (GDPR art. 17). An event of the stream `user-<user_id>` in
 * the message service's store, relayed to the compacted topic `user.erasures` keyed by user id:
 * it never leaves the topic, so every projection, one rebuilt later included, forgets the user.
 * It carries no content: only who was erased, by whom, when.
 */
export const UserErasureEvents = {
  UserErased: Type.Object({
    user_id: UserId,
    erased_by: UserId,
    erased_at: Timestamp,
  }),
} satisfies Record<string, TObject>;

export type UserErasureEvent = {
  [K in keyof typeof UserErasureEvents]: { type: K; data: Static<(typeof UserErasureEvents)[K]> };
}[keyof typeof UserErasureEvents];

/** Every event of a `user-<user_id>` stream. */
export type UserStreamEvent = UserSuspensionEvent | UserErasureEvent;

export type UserErased = Static<typeof UserErasureEvents.UserErased>;

/** What `DELETE /api/me` (and the administrators' equivalent) answers. */
export const Erasure = Type.Object({
  user_id: UserId,
  erased_by: UserId,
  erased_at: Timestamp,
  keys_destroyed: Type.Integer({
    minimum: 0,
    description: "How many of the user's data keys this request destroyed (0 when erased before).",
  }),
});
export type Erasure = Static<typeof Erasure>;
