import { describe } from 'vitest';
import { resolveFleetServers, type FleetServers } from './fleet';

const resolved = await resolveFleetServers();

/** A suite that needs the fleet's real servers; skipped, with the reason, when they are missing. */
export const fleetScenario = (name: string, body: (servers: FleetServers) => void) => {
  if (resolved.available) describe(name, () => body(resolved.servers));
  else describe.skip(`${name} — ${resolved.reason}`, () => body({} as FleetServers));
};
