import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { join } from './harness';

fleetScenario('moderation across two gateways', (servers) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(servers, {}, { gateways: 2 });
  });
  afterAll(() => fleet.stop());

  it('takes a banned user’s sockets off the room on both gateways within a second', async () => {
    const room = await fleet.api('ana', 'POST', '/api/rooms', { name: 'banning', members: ['ben', 'cat'] });
    const roomId = room.body.room_id as string;
    const [benHere, benThere, cat] = await Promise.all([
      fleet.connectTo(0, 'ben'),
      fleet.connectTo(1, 'ben'),
      fleet.connectTo(1, 'cat'),
    ]);
    await Promise.all([benHere, benThere, cat].map((socket) => join(socket, roomId)));

    const left = [benHere, benThere].map((socket) =>
      socket
        .nextOfType('room_left', 5_000, (frame) => frame.room_id === roomId)
        .then((frame) => ({ frame, at: Date.now() })),
    );
    const bannedAt = Date.now();
    expect((await fleet.api('ana', 'POST', `/api/rooms/${roomId}/bans`, { user_id: 'ben' })).status).toBe(
      201,
    );
    for (const { frame, at } of await Promise.all(left)) {
      expect(frame).toMatchObject({ reason: 'banned' });
      expect(at - bannedAt).toBeLessThan(1_000);
    }

    const atCat = cat.nextOfType('message', 5_000, (frame) => frame.content === 'after');
    await fleet.api('ana', 'POST', `/api/rooms/${roomId}/messages`, { content: 'after' });
    await atCat;
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const socket of [benHere, benThere]) {
      expect(socket.frames.some((frame) => frame.type === 'message' && frame.content === 'after')).toBe(
        false,
      );
    }
    for (const socket of [benHere, benThere, cat]) socket.close();
  });

  it('closes a suspended user’s sockets on both gateways (4007)', async () => {
    const [here, there] = await Promise.all([fleet.connectTo(0, 'dan'), fleet.connectTo(1, 'dan')]);
    const adminToken = await fleet.token('root', { admin: true });
    const suspended = await fetch(`${fleet.apiUrl}/api/admin/users/dan/suspend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'abuse' }),
    });
    expect(suspended.status).toBe(200);
    expect(await Promise.all([here.waitForClose(), there.waitForClose()])).toEqual([4007, 4007]);
    await expect(fleet.connectTo(1, 'dan')).rejects.toThrow(/suspended/);
  });
});
