import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { expectSameResultsAfterRebuild } from './search-rebuild';

fleetScenario('search index on Elasticsearch rebuilt from the event store', (servers) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(servers, {}, { gateways: 1 });
  }, 90_000);
  afterAll(() => fleet?.stop());

  it('gives the same results after `pnpm search:rebuild`, run while the search service is stopped', async () => {
    await expectSameResultsAfterRebuild(fleet, async () => {
      await fleet.stopService('search');
      const rebuild = await fleet.runCommand('services/search/src/rebuild-main.ts', 'search');
      expect(rebuild, rebuild.output).toMatchObject({ code: 0 });
      await fleet.startService('search');
    });
  }, 180_000);
});
