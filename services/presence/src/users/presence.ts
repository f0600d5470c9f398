import type { PresenceSignal, PresenceStatus, UserPresence } from '@chat/contracts';

/** A live connection of the user: alive while heard from within the offline threshold. */
export interface Lease {
  gateway: string;
  /** When the connection was last heard from (ms since the epoch, the gateway's clock). */
  seen_at: number;
}

/** What the presence service keeps per user. Times are ms since the epoch. */
export interface PresenceState {
  user_id: string;
  /** The user's connections, by connection id. */
  connections: Record<string, Lease>;
  /** Chosen with `presence_update`; it holds while the user is connected. */
  chosen: PresenceStatus;
  /** The status the members of the user's rooms were last told. */
  status: PresenceStatus;
  /** The latest moment the user was seen present (never while appearing offline). */
  last_seen: number | null;
  /** When `status` last changed; never goes back, so consumers can drop an older change. */
  changed_at: number | null;
}

export interface PresenceRules {
  /** A connection not heard from for this long is gone (`presence.offline_threshold_minutes`). */
  offlineThresholdMs: number;
}

export interface StatusChange {
  user_id: string;
  status: PresenceStatus;
  last_seen: number | null;
  changed_at: number;
}

/** A user the service has never heard of: offline, never seen. */
export const unknownUser = (userId: string): PresenceState => ({
  user_id: userId,
  connections: {},
  chosen: 'online',
  status: 'offline',
  last_seen: null,
  changed_at: null,
});

const aliveAt = (connections: Record<string, Lease>, now: number, rules: PresenceRules) =>
  Object.fromEntries(
    Object.entries(connections).filter(([, lease]) => lease.seen_at + rules.offlineThresholdMs > now),
  );

/**
 * The presence rules, applied to one signal at the signal's own time: a user is online while any
 * of their connections is alive; `presence_update` overrides the status while they are connected
 * (and falls back to online once every connection is gone); a connection not heard from for the
 * offline threshold is gone. Any signal from a connection renews it, so a connection wrongly taken
 * for dead (a gateway stalled past the threshold) comes back with its next heartbeat.
 */
export const applySignal = (
  state: PresenceState,
  signal: PresenceSignal,
  rules: PresenceRules,
): { state: PresenceState; change: StatusChange | null } => {
  const at = Date.parse(signal.at);
  const connections = aliveAt(state.connections, at, rules);
  let chosen = state.chosen;
  switch (signal.type) {
    case 'connection_closed':
      delete connections[signal.connection_id];
      break;
    case 'expiry_due':
      break;
    default: {
      // Opened, heartbeat or a status set: each shows the connection is alive.
      const seenAt = Math.max(connections[signal.connection_id]?.seen_at ?? at, at);
      connections[signal.connection_id] = { gateway: signal.gateway, seen_at: seenAt };
      if (signal.type === 'status_set') chosen = signal.status;
    }
  }
  const connected = Object.keys(connections).length > 0;
  if (!connected) chosen = 'online';
  const status: PresenceStatus = connected ? chosen : 'offline';
  // A connection's signal shows the user present, unless they appeared offline before and after.
  const seen = signal.type !== 'expiry_due' && (state.status !== 'offline' || status !== 'offline');
  const next: PresenceState = {
    user_id: state.user_id,
    connections,
    chosen,
    status,
    last_seen: seen ? Math.max(state.last_seen ?? at, at) : state.last_seen,
    changed_at: state.changed_at,
  };
  if (status === state.status) return { state: next, change: null };
  next.changed_at = Math.max(state.changed_at ?? at, at);
  const change = { user_id: next.user_id, status, last_seen: next.last_seen, changed_at: next.changed_at };
  return { state: next, change };
};

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The user's presence as the REST API shows it, at `now`: connections past the threshold count as
 * gone even before the sweeper noticed, and a user appearing offline shows no devices.
 */
export const presenceAt = (state: PresenceState, now: number, rules: PresenceRules): UserPresence => {
  const live = Object.keys(aliveAt(state.connections, now, rules)).length;
  const status: PresenceStatus = live === 0 ? 'offline' : state.chosen;
  return {
    user_id: state.user_id,
    status,
    last_seen: isoOrNull(state.last_seen),
    devices: status === 'offline' ? 0 : live,
  };
};

/** The oldest `seen_at` among the user's connections: when the first of them may expire. */
export const oldestLease = (state: PresenceState): number | null => {
  const seen = Object.values(state.connections).map((lease) => lease.seen_at);
  return seen.length === 0 ? null : Math.min(...seen);
};
