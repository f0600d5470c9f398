export { createPresenceService, type PresenceService, type PresenceServiceDeps } from './service';
export type { PresenceStore } from './store/port';
/** The embedded store; the host picks the adapter at start-up. */
export { InMemoryPresenceStore } from './store/in-memory-presence-store';
export { RedisPresenceStore } from './store/redis-presence-store';
