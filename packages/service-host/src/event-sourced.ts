import type { Bus } from '@chat/bus';
import { openReadSideFromEnv, type Closable, type ReadModelOpeners } from '@chat/event-sourcing/from-env';
import type { CheckpointStore } from '@chat/event-sourcing';
import type { EventStore } from '@chat/eventstore';
import { openEventStoreFromEnv } from '@chat/eventstore/from-env';
import type { ServiceProcessHost } from './run-service-process';

/** What an event-sourced service is built on. */
export interface EventSourcedParts<ReadModel extends Closable> {
  store: EventStore;
  bus: Bus;
  readModel: ReadModel;
  checkpoints: CheckpointStore & Closable;
}

/**
 * Opens, from the environment, what an event-sourced service runs on: its event store
 * (EVENTSTORE_URL, else SQLite under DATA_DIR/<service>), the bus, and its read model with the
 * projections' checkpoints (MONGODB_URL, else SQLite under DATA_DIR/<service>). At stop they are
 * closed after the bus in this order: event store, read model, checkpoints.
 *
 * A module of its own, so that a service without an event store does not bundle the adapters.
 */
export const openEventSourcedParts = async <ReadModel extends Closable>(
  host: ServiceProcessHost,
  readModel: ReadModelOpeners<ReadModel>,
): Promise<EventSourcedParts<ReadModel>> => {
  const { env, name: service, logger } = host;
  const store = await openEventStoreFromEnv(env, { service, logger });
  host.closeOnStop(() => store.close());
  const bus = await host.openBus();
  const readSide = await openReadSideFromEnv(env, { service, logger }, readModel);
  host.closeOnStop(() => readSide.readModel.close());
  host.closeOnStop(() => readSide.checkpoints.close());
  return { store, bus, ...readSide };
};
