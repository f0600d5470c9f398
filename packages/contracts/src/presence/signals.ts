import { Type, type Static, type TObject } from '@sinclair/typebox';
import { PresenceStatus, RoomId, Timestamp, UserId } from '../primitives';

/** How long a typing indicator lasts without a renewed `typing start`. */
export const TYPING_EXPIRES_AFTER_MS = 5_000;

export const TypingState = Type.Union([Type.Literal('start'), Type.Literal('stop')]);
export type TypingState = Static<typeof TypingState>;

const fromConnection = {
  user_id: UserId,
  connection_id: Type.String({ minLength: 1, maxLength: 64 }),
  gateway: Type.String({ description: 'The gateway instance holding the connection.' }),
  at: Timestamp,
};

/**
 * What happened to a user's connections, on `presence.signals` keyed by user id, so one consumer
 * sees a user's signals in order. The gateways publish the connection signals; the presence
 * service's sweeper publishes `expiry_due` so that expiries are decided in that same order.
 */
export const PresenceSignals = {
  connection_opened: Type.Object(
    { type: Type.Literal('connection_opened'), ...fromConnection },
    { description: 'The connection authenticated.' },
  ),
  connection_heartbeat: Type.Object(
    { type: Type.Literal('connection_heartbeat'), ...fromConnection },
    {
      description:
        'The connection is alive (the client sent a frame or answered a ping). Each gateway ' +
        'announces its live connections periodically, well within the offline threshold.',
    },
  ),
  connection_closed: Type.Object(
    { type: Type.Literal('connection_closed'), ...fromConnection },
    { description: 'The connection closed.' },
  ),
  status_set: Type.Object(
    { type: Type.Literal('status_set'), ...fromConnection, status: PresenceStatus },
    { description: 'The user sent `presence_update`: the status others see while they are connected.' },
  ),
  room_joined: Type.Object(
    { type: Type.Literal('room_joined'), ...fromConnection, room_id: RoomId },
    {
      description:
        'The connection joined the room (the message service accepted the join): the room is told ' +
        "the user's status and the connection is shown the room's.",
    },
  ),
  expiry_due: Type.Object(
    { type: Type.Literal('expiry_due'), user_id: UserId, at: Timestamp },
    { description: 'Connections not heard from for the offline threshold before `at` are gone.' },
  ),
} satisfies Record<string, TObject>;

export const PresenceSignal = Type.Union(Object.values(PresenceSignals));
export type PresenceSignal = Static<typeof PresenceSignal>;
export type PresenceSignalOf<K extends keyof typeof PresenceSignals> = Static<(typeof PresenceSignals)[K]>;

/**
 * A user's status changed, on `presence.changes` keyed by user id, published by the presence
 * service. `room_ids` are the rooms the user is a member of: whose members are told.
 */
export const PresenceChanged = Type.Object({
  user_id: UserId,
  status: PresenceStatus,
  last_seen: Type.Union([Timestamp, Type.Null()], {
    description: 'When the user was last seen present; null if never.',
  }),
  changed_at: Timestamp,
  room_ids: Type.Array(RoomId),
});
export type PresenceChanged = Static<typeof PresenceChanged>;

/** The value of `RECORD_KIND_HEADER` on a `RoomPresenceShown` record of `presence.changes`. */
export const ROOM_PRESENCE_KIND = 'room_presence';

/**
 * The presence of a room's members who are not offline, for one connection that just joined the
 * room, on `presence.changes` keyed by the joiner's user id with the header
 * `kind: room_presence`. Only the gateway holding that connection delivers it.
 */
export const RoomPresenceShown = Type.Object({
  room_id: RoomId,
  user_id: UserId,
  connection_id: Type.String({ minLength: 1, maxLength: 64 }),
  gateway: Type.String({ description: 'The gateway instance holding the connection.' }),
  members: Type.Array(
    Type.Object({
      user_id: UserId,
      status: PresenceStatus,
      last_seen: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
});
export type RoomPresenceShown = Static<typeof RoomPresenceShown>;

/**
 * A member of a room started or stopped typing, on `presence.typing` keyed by room id, published
 * by the gateway holding the typer's connection for every gateway to deliver.
 */
export const TypingSignal = Type.Object({
  room_id: RoomId,
  user_id: UserId,
  state: TypingState,
  connection_id: Type.String({ minLength: 1, maxLength: 64 }),
  gateway: Type.String(),
  at: Timestamp,
});
export type TypingSignal = Static<typeof TypingSignal>;
