import { resolveFleetServers, startFleet } from '@chat/e2e/fleet';
import { nativeWire } from '../wire/wire';
import { BENCH_FLEET_ENV, BENCH_LIMITS, createRoomOverRest, prometheusValue, type Target } from './target';

/** Why the fleet cannot run here (one of its servers is missing), or null. */
export const fleetUnavailable = async (): Promise<string | null> => {
  const resolved = await resolveFleetServers();
  return resolved.available
    ? null
    : `${resolved.reason} (pnpm infra:up; set -a; . /tmp/chat-infra/env; set +a)`;
};

/**
 * The fleet exactly as its end-to-end suites run it: every service and `gateways` connection
 * gateways as separate processes on Kafka, MongoDB-wire, Redis, Elasticsearch and S3, in a
 * namespace of their own that `stop` removes. So every message the load sends also feeds search,
 * notification, media and presence, as in a deployment.
 */
export const startFleetTarget = async (options: { gateways?: number } = {}): Promise<Target> => {
  const resolved = await resolveFleetServers();
  if (!resolved.available) throw new Error(resolved.reason);
  const fleet = await startFleet(resolved.servers, BENCH_FLEET_ENV, { gateways: options.gateways ?? 1 });
  // The load goes straight to the gateways, as BENCHMARKS.md measured them; REST goes through the edge.
  const wsUrls = fleet.gatewayWsUrls;
  const metricsUrls = wsUrls.map((wsUrl) => new URL('/metrics', wsUrl.replace(/^ws/, 'http')).toString());
  return {
    name: 'fleet',
    wire: nativeWire,
    wsUrls,
    apiUrl: fleet.apiUrl,
    settings: { ...BENCH_LIMITS, LOG_LEVEL: 'warn', GATEWAYS: String(wsUrls.length) },
    notes: [
      `every service + ${wsUrls.length} gateway(s) as processes on Kafka, MongoDB-wire (FerretDB), Redis, Elasticsearch and MinIO, all on this machine`,
    ],
    createRoom: (ownerId, name) => createRoomOverRest(fleet.apiUrl, ownerId, name),
    gatewayPids: () => fleet.pids().gateways,
    serverPids: () => fleet.pids().all,
    heapBytes: async () => {
      const heaps = await Promise.all(
        metricsUrls.map((url) => prometheusValue(url, 'nodejs_heap_size_used_bytes')),
      );
      return heaps.every((heap) => heap !== null) ? heaps.reduce((a, b) => a! + b!, 0) : null;
    },
    stop: () => fleet.stop(),
  };
};
