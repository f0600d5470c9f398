import type { Bus, OutgoingRecord } from '@chat/bus';
import {
  RECORD_KIND_HEADER,
  ROOM_PRESENCE_KIND,
  Topics,
  type PresenceChanged,
  type PresenceSignalOf,
  type RoomPresenceShown,
} from '@chat/contracts';
import { refuseNonMember, type RoomAccessView } from '@chat/room-access';
import type { Logger } from '@chat/runtime';
import type { PresenceStore } from '../store/port';
import { presenceAt, unknownUser, type PresenceRules, type PresenceState } from '../users/presence';

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * What a join shows, at `now`: the joiner's status to the room, unless they are (or appear)
 * offline, which is what members assume of anyone not announced; and to the joining connection,
 * the members of the room, the joiner aside, who are not offline. Pure.
 */
export const joinAnnouncements = (
  joined: PresenceSignalOf<'room_joined'>,
  joiner: PresenceState,
  members: PresenceState[],
  now: number,
  rules: PresenceRules,
): { announced: PresenceChanged | null; shown: RoomPresenceShown } => ({
  announced:
    joiner.status === 'offline'
      ? null
      : {
          user_id: joiner.user_id,
          status: joiner.status,
          last_seen: isoOrNull(joiner.last_seen),
          changed_at: new Date(joiner.changed_at ?? now).toISOString(),
          room_ids: [joined.room_id],
        },
  shown: {
    room_id: joined.room_id,
    user_id: joined.user_id,
    connection_id: joined.connection_id,
    gateway: joined.gateway,
    members: members.flatMap((state) => {
      const { user_id, status, last_seen } = presenceAt(state, now, rules);
      return user_id === joined.user_id || status === 'offline' ? [] : [{ user_id, status, last_seen }];
    }),
  },
});

/**
 * A join the message service accepted: the room hears of the joiner, the joining connection of
 * the room. The membership is confirmed on the room access view (a join is published to
 * `room.access` before it is answered), so a signal about a room the user cannot read shows nothing.
 */
export const announceJoin = async (
  deps: { access: RoomAccessView; bus: Bus; store: PresenceStore; rules: PresenceRules; logger: Logger },
  joined: PresenceSignalOf<'room_joined'>,
  joiner: PresenceState,
): Promise<void> => {
  const { access, refusal } = await deps.access.decide(joined.room_id, (room) =>
    refuseNonMember(room, { userId: joined.user_id, isAdmin: false }),
  );
  if (refusal) {
    deps.logger.warn({ room_id: joined.room_id, user_id: joined.user_id }, 'join of a non-member not shown');
    return;
  }
  const memberIds = access!.members.map((member) => member.user_id);
  const states = await deps.store.getUsers(memberIds);
  const members = states.map((state, i) => state ?? unknownUser(memberIds[i]!));
  const { announced, shown } = joinAnnouncements(joined, joiner, members, Date.now(), deps.rules);
  const records: OutgoingRecord[] = [
    {
      key: joined.user_id,
      value: JSON.stringify(shown),
      headers: { [RECORD_KIND_HEADER]: ROOM_PRESENCE_KIND },
    },
  ];
  if (announced) records.push({ key: joined.user_id, value: JSON.stringify(announced) });
  await deps.bus.publish(Topics.presenceChanges, records);
};
