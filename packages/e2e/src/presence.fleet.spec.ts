import type { ServerFrameOf } from '@chat/contracts';
import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { join } from './harness';

/** Offline 6 s after the last heartbeat, swept every 0.6 s. */
const THRESHOLD_MS = 6_000;
const FAST_PRESENCE = {
  CHAT_PRESENCE__OFFLINE_THRESHOLD_MINUTES: String(THRESHOLD_MS / 60_000),
  CHAT_PRESENCE__CLEANUP_INTERVAL_MINUTES: '0.01',
};

fleetScenario('presence when a gateway dies without goodbye', (servers) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(servers, FAST_PRESENCE, { gateways: 2 });
  });
  afterAll(() => fleet.stop());

  it('takes its users offline after the threshold, and the other gateway tells their rooms', async () => {
    const created = await fleet.api('lea', 'POST', '/api/rooms', {
      name: 'crash',
      private: true,
      members: ['max'],
    });
    const roomId = created.body.room_id as string;
    await eventually(async () =>
      expect((await fleet.api('lea', 'GET', `/api/presence/room/${roomId}`)).status).toBe(200),
    );
    const max = await fleet.connectTo(0, 'max');
    await join(max, roomId);
    const online = max.next(
      (f) => f.type === 'presence' && f.user_id === 'lea' && f.status === 'online',
      10_000,
    );
    const lea = await fleet.connectTo(1, 'lea');
    await online;

    const offline = max.next<ServerFrameOf<'presence'>>(
      (f) => f.type === 'presence' && f.user_id === 'lea' && f.status === 'offline',
      30_000,
      max.frames.length,
    );
    const killedAt = Date.now();
    await fleet.killGateway(1);
    expect(await lea.waitForClose()).toBe(1006);
    const gone = await offline;
    // No goodbye came: only the threshold, counted from the last heartbeat, took her offline.
    expect(Date.now() - killedAt).toBeGreaterThan(THRESHOLD_MS / 2);
    expect(Date.parse(gone.last_seen!)).toBeLessThanOrEqual(killedAt);
    expect((await fleet.api('max', 'GET', '/api/presence/users/lea')).body).toMatchObject({
      status: 'offline',
      devices: 0,
      last_seen: gone.last_seen,
    });
    max.close();
  });
});
