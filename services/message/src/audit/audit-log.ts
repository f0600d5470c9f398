import type { Bus, Consumer } from '@chat/bus';
import type { EventStore } from '@chat/eventstore';
import type { HttpApp, Logger } from '@chat/runtime';
import type { AuditReadModel } from './application/port';
import type { RoomOwnership } from './application/queries';
import { startAuditSources, type AuditLookups } from './application/sources';
import { AuditWriter } from './application/writer';
import { registerAuditRoutes } from './routes';

export interface AuditLogDeps {
  store: EventStore;
  bus: Bus;
  readModel: AuditReadModel;
  /** Facts the mappings need, from the message service's room states. */
  lookups: AuditLookups;
  ownership: RoomOwnership;
  logger: Logger;
}

/** The audit log feature as the message service runs it: its writer, its sources and its routes. */
export const auditLogOf = (deps: AuditLogDeps) => ({
  registerRoutes: (app: HttpApp) => registerAuditRoutes(app, deps),
  /** Stores what the chain holds beyond the read model, then follows the sources. */
  async start(): Promise<Consumer> {
    const writer = new AuditWriter(deps.store, deps.readModel, deps.logger);
    await writer.catchUp();
    return startAuditSources({ ...deps, writer });
  },
});
