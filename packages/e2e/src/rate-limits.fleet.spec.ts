import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { join, sendAndAck } from './harness';

fleetScenario('rate limits across gateways', (servers) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(servers, { CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '3' }, { gateways: 2 });
  });
  afterAll(() => fleet.stop());

  it('holds a user to one budget whichever gateway or REST they send through', async () => {
    // connect() alternates gateways: the first socket is on one, the second on the other.
    const first = await fleet.connect('rita');
    const second = await fleet.connect('rita');
    await join(first, 'general');
    await join(second, 'general');
    for (let i = 1; i <= 3; i++) await sendAndAck(first, 'general', `budget ${i}`);

    const refused = second.nextOfType('error', 10_000);
    second.send({
      type: 'send_message',
      room_id: 'general',
      content: 'one too many',
      client_msg_id: 'over-1',
    });
    expect(await refused).toMatchObject({
      code: 'rate_limited',
      ref: 'over-1',
      retry_after_ms: expect.any(Number),
    });
    // REST sends spend the same budget, in the message service's own process.
    expect(
      await fleet.api('rita', 'POST', '/api/rooms/general/messages', { content: 'over REST' }),
    ).toMatchObject({ status: 429, body: { code: 'rate_limited', retry_after_ms: expect.any(Number) } });
    first.close();
    second.close();
  });
});
