import { afterAll, beforeAll, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { expectOldMessagesExpired, RETENTION_ENV } from './retention';

fleetScenario('retention on the fleet', (servers) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(servers, RETENTION_ENV, { gateways: 1 });
  }, 90_000);
  afterAll(() => fleet?.stop());

  it('expires messages past their room’s retention: tombstones in history and resume, gone from Elasticsearch', async () => {
    await expectOldMessagesExpired(fleet);
  }, 90_000);
});
