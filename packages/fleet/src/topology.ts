/**
 * The processes of the fleet, named as compose and infra/edge/nginx.conf name them: the edge
 * routes to an upstream by that name, and the fleet on this machine runs a process for each.
 * A new service joins the fleet by joining this list (and nginx.conf, for its routes).
 */
export const FLEET_SERVICES: readonly { name: string; entry: string }[] = [
  { name: 'message', entry: 'services/message/src/main.ts' },
  { name: 'search', entry: 'services/search/src/main.ts' },
  { name: 'media', entry: 'services/media/src/main.ts' },
  { name: 'notification', entry: 'services/notification/src/main.ts' },
  { name: 'presence', entry: 'services/presence/src/main.ts' },
];

/** Stateless: as many instances as asked for, each its own consumer group (INSTANCE_ID). */
export const GATEWAY = { name: 'connection-gateway', entry: 'services/connection-gateway/src/main.ts' };
