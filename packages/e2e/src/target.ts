import { describe } from 'vitest';
import { startEmbeddedHarness } from './embedded';
import { resolveFleetServers, startFleet } from './fleet';
import type { Harness } from './harness';

/**
 * The scenarios run twice: against the embedded app (`pnpm test`) and against the fleet on real
 * servers (`pnpm test:integration`, which sets CHAT_E2E_TARGET=fleet).
 */
export const onFleet = process.env.CHAT_E2E_TARGET === 'fleet';
const fleetServers = onFleet ? await resolveFleetServers() : undefined;

/** A scenario suite; on the fleet it is skipped, with the reason, when the servers are missing. */
export const scenario = (name: string, body: () => void) => {
  if (fleetServers && !fleetServers.available) {
    describe.skip(`${name} (fleet) — ${fleetServers.reason}`, body);
  } else {
    describe(onFleet ? `${name} (fleet)` : name, body);
  }
};

/** Starts the platform the scenarios target, with extra environment (limits, flags). */
export const startHarness = async (env: Record<string, string> = {}): Promise<Harness> => {
  if (!fleetServers) return startEmbeddedHarness(env);
  if (!fleetServers.available) throw new Error(fleetServers.reason);
  return startFleet(fleetServers.servers, env);
};
