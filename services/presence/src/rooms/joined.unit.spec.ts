import type { PresenceSignal, PresenceSignalOf } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { applySignal, unknownUser, type PresenceState } from '../users/presence';
import { joinAnnouncements } from './joined';

const rules = { offlineThresholdMs: 60_000 };
const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

const signal = (userId: string, ms: number) => ({
  user_id: userId,
  connection_id: `${userId}-phone`,
  gateway: 'gateway-1',
  at: at(ms),
});
/** A user's state after they connected at `ms`, and maybe chose a status. */
const connected = (userId: string, ms: number, status?: 'away' | 'offline'): PresenceState => {
  const signals: PresenceSignal[] = [{ type: 'connection_opened', ...signal(userId, ms) }];
  if (status) signals.push({ type: 'status_set', ...signal(userId, ms), status });
  return signals.reduce((state, s) => applySignal(state, s, rules).state, unknownUser(userId));
};
const joined: PresenceSignalOf<'room_joined'> = {
  type: 'room_joined',
  ...signal('bob', 1_000),
  room_id: 'r1',
};

describe('a member joins a room', () => {
  it('tells the room the joiner is online, and shows the joiner the members who are not offline', () => {
    const bob = connected('bob', 0);
    const members = [connected('ann', 0, 'away'), bob, unknownUser('cid'), connected('dan', -120_000)];
    const { announced, shown } = joinAnnouncements(joined, bob, members, T0 + 1_000, rules);
    expect(announced).toEqual({
      user_id: 'bob',
      status: 'online',
      last_seen: at(0),
      changed_at: at(0),
      room_ids: ['r1'],
    });
    // cid was never seen; dan's connection is past the threshold though not swept yet.
    expect(shown).toEqual({
      room_id: 'r1',
      user_id: 'bob',
      connection_id: 'bob-phone',
      gateway: 'gateway-1',
      members: [{ user_id: 'ann', status: 'away', last_seen: at(0) }],
    });
  });

  it('announces nobody who appears offline', () => {
    const bob = connected('bob', 0, 'offline');
    expect(joinAnnouncements(joined, bob, [bob], T0 + 1_000, rules).announced).toBeNull();
  });
});
