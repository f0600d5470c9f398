import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { join, messagesIn, sendAndAck } from './harness';

fleetScenario('two stateless gateways', (servers) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(servers, {}, { gateways: 2 });
  });
  afterAll(() => fleet.stop());

  it('both deliver every message of a room, and a client may resume on either', async () => {
    const room = await fleet.api('ana', 'POST', '/api/rooms', { name: 'across', members: ['ben'] });
    const roomId = room.body.room_id as string;
    const ana = await fleet.connectTo(0, 'ana');
    const ben = await fleet.connectTo(1, 'ben');
    await join(ana, roomId);
    await join(ben, roomId);

    await sendAndAck(ana, roomId, 'from the first gateway');
    await sendAndAck(ben, roomId, 'from the second gateway');
    for (const socket of [ana, ben]) {
      await socket.next((f) => f.type === 'message' && f.room_id === roomId && f.seq === 2);
      expect(messagesIn(socket, roomId).map((m) => m.content)).toEqual([
        'from the first gateway',
        'from the second gateway',
      ]);
    }

    ben.close();
    for (let i = 1; i <= 5; i++) await sendAndAck(ana, roomId, `missed ${i}`);
    // ben resumes on the other instance.
    const benAgain = await fleet.connectTo(0, 'ben');
    await join(benAgain, roomId, 2);
    await benAgain.next((f) => f.type === 'message' && f.room_id === roomId && f.seq === 7, 10_000);
    expect(messagesIn(benAgain, roomId).map((m) => m.seq)).toEqual([3, 4, 5, 6, 7]);
    ana.close();
    benAgain.close();
  });
});
