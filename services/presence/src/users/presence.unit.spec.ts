import type { PresenceSignal, PresenceStatus } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { applySignal, oldestLease, presenceAt, unknownUser, type PresenceState } from './presence';

const THRESHOLD = 60_000;
const rules = { offlineThresholdMs: THRESHOLD };
const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

const fromConnection = (connection: string, ms: number) => ({
  user_id: 'alice',
  connection_id: connection,
  gateway: 'gateway-1',
  at: at(ms),
});
const opened = (connection: string, ms: number): PresenceSignal => ({
  type: 'connection_opened',
  ...fromConnection(connection, ms),
});
const heartbeat = (connection: string, ms: number): PresenceSignal => ({
  type: 'connection_heartbeat',
  ...fromConnection(connection, ms),
});
const closed = (connection: string, ms: number): PresenceSignal => ({
  type: 'connection_closed',
  ...fromConnection(connection, ms),
});
const statusSet = (connection: string, status: PresenceStatus, ms: number): PresenceSignal => ({
  type: 'status_set',
  ...fromConnection(connection, ms),
  status,
});
const expiryDue = (ms: number): PresenceSignal => ({ type: 'expiry_due', user_id: 'alice', at: at(ms) });

/** Given these signals happened, when this one arrives: the new state and the change, if any. */
const given =
  (...history: PresenceSignal[]) =>
  (signal: PresenceSignal) =>
    applySignal(stateAfter(...history), signal, rules);
const stateAfter = (...history: PresenceSignal[]): PresenceState =>
  history.reduce((state, signal) => applySignal(state, signal, rules).state, unknownUser('alice'));

const change = (status: PresenceStatus, lastSeenMs: number | null, changedMs: number) => ({
  user_id: 'alice',
  status,
  last_seen: lastSeenMs === null ? null : T0 + lastSeenMs,
  changed_at: T0 + changedMs,
});

describe('coming online and going offline', () => {
  it('brings a user online with their first connection, seen then', () => {
    expect(given()(opened('c1', 0)).change).toEqual(change('online', 0, 0));
  });

  it('keeps a user online while any device is connected, and offline after the last closes', () => {
    expect(given(opened('c1', 0))(opened('c2', 1_000)).change).toBeNull();
    expect(given(opened('c1', 0), opened('c2', 1_000))(closed('c1', 2_000)).change).toBeNull();
    expect(
      given(opened('c1', 0), opened('c2', 1_000), closed('c1', 2_000))(closed('c2', 3_000)).change,
    ).toEqual(change('offline', 3_000, 3_000));
  });

  it('changes nothing when a signal is delivered again', () => {
    expect(given(opened('c1', 0))(opened('c1', 0)).change).toBeNull();
    expect(given(opened('c1', 0), closed('c1', 1_000))(closed('c1', 1_000)).change).toBeNull();
  });
});

describe('heartbeats and the offline threshold', () => {
  it('keeps a user online as long as heartbeats come within the threshold', () => {
    const history = [opened('c1', 0), heartbeat('c1', 50_000), heartbeat('c1', 100_000)];
    expect(given(...history)(expiryDue(140_000)).change).toBeNull();
  });

  it('takes a connection unheard of for the threshold for gone: offline, last seen at its last heartbeat', () => {
    const history = [opened('c1', 0), heartbeat('c1', 30_000)];
    expect(given(...history)(expiryDue(30_000 + THRESHOLD - 1)).change).toBeNull();
    expect(given(...history)(expiryDue(30_000 + THRESHOLD)).change).toEqual(
      change('offline', 30_000, 30_000 + THRESHOLD),
    );
  });

  it('drops only the silent connection when another device is still heard from', () => {
    const history = [opened('c1', 0), opened('c2', 0), heartbeat('c2', 50_000)];
    const { state, change: changed } = given(...history)(expiryDue(THRESHOLD));
    expect(changed).toBeNull();
    expect(Object.keys(state.connections)).toEqual(['c2']);
  });

  it('brings a connection taken for gone back with its next heartbeat (a stalled gateway)', () => {
    const history = [opened('c1', 0), expiryDue(THRESHOLD)];
    expect(given(...history)(heartbeat('c1', THRESHOLD + 5_000)).change).toEqual(
      change('online', THRESHOLD + 5_000, THRESHOLD + 5_000),
    );
  });
});

describe('presence_update', () => {
  it("sets the status others see, from any of the user's devices", () => {
    expect(given(opened('c1', 0))(statusSet('c1', 'away', 1_000)).change).toEqual(
      change('away', 1_000, 1_000),
    );
    expect(given(opened('c1', 0), statusSet('c1', 'busy', 1_000))(heartbeat('c1', 2_000)).change).toBeNull();
    expect(
      given(
        opened('c1', 0),
        opened('c2', 0),
        statusSet('c1', 'away', 1_000),
      )(statusSet('c2', 'online', 2_000)).change,
    ).toEqual(change('online', 2_000, 2_000));
  });

  it('holds only while connected: the next connection after going offline is online again', () => {
    const history = [opened('c1', 0), statusSet('c1', 'away', 1_000), closed('c1', 2_000)];
    expect(given(...history)(opened('c2', 3_000)).change).toEqual(change('online', 3_000, 3_000));
  });

  it('lets a user appear offline: last seen stops at that moment and no device shows', () => {
    const invisible = [opened('c1', 0), statusSet('c1', 'offline', 1_000)];
    expect(given(opened('c1', 0))(statusSet('c1', 'offline', 1_000)).change).toEqual(
      change('offline', 1_000, 1_000),
    );
    const { state, change: changed } = given(...invisible)(heartbeat('c1', 20_000));
    expect(changed).toBeNull();
    expect(presenceAt(state, T0 + 21_000, rules)).toEqual({
      user_id: 'alice',
      status: 'offline',
      last_seen: at(1_000),
      devices: 0,
    });
    expect(given(...invisible)(statusSet('c1', 'online', 30_000)).change).toEqual(
      change('online', 30_000, 30_000),
    );
  });
});

describe('change times', () => {
  it('never go back, even when a gateway clock is behind', () => {
    const history = [opened('c1', 10_000)];
    expect(given(...history)(closed('c1', 9_000)).change).toMatchObject({ changed_at: T0 + 10_000 });
  });
});

describe('presence as the REST API shows it', () => {
  it('counts live devices, and connections past the threshold as gone before any sweep', () => {
    const state = stateAfter(opened('c1', 0), opened('c2', 30_000), statusSet('c2', 'busy', 30_000));
    expect(presenceAt(state, T0 + 40_000, rules)).toMatchObject({ status: 'busy', devices: 2 });
    expect(presenceAt(state, T0 + THRESHOLD + 1_000, rules)).toMatchObject({ status: 'busy', devices: 1 });
    expect(presenceAt(state, T0 + 30_000 + THRESHOLD, rules)).toEqual({
      user_id: 'alice',
      status: 'offline',
      last_seen: at(30_000),
      devices: 0,
    });
  });

  it('shows a user never heard of as offline, never seen', () => {
    expect(presenceAt(unknownUser('zoe'), T0, rules)).toEqual({
      user_id: 'zoe',
      status: 'offline',
      last_seen: null,
      devices: 0,
    });
  });

  it('knows when the first of a user’s connections may expire', () => {
    expect(oldestLease(stateAfter(opened('c1', 5_000), opened('c2', 1_000)))).toBe(T0 + 1_000);
    expect(oldestLease(unknownUser('zoe'))).toBeNull();
  });
});
