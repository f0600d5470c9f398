import type { Bus } from '@chat/bus';
import { startRoomAccessView, type RoomAccessView } from '@chat/room-access';
import { openRoomAccessStoreFromEnv } from '@chat/room-access/from-env';
import type { ServiceProcessHost } from './run-service-process';

/**
 * The service's view of every room's access, on its own store from the environment (MongoDB when
 * MONGODB_URL is set, else SQLite under DATA_DIR/<service>), fed from `room.access`; the store is
 * closed at stop. A module of its own, so a service that needs no view does not bundle the stores.
 */
export const openRoomAccessView = async (host: ServiceProcessHost, bus: Bus): Promise<RoomAccessView> => {
  const store = await openRoomAccessStoreFromEnv(host.env, { service: host.name, logger: host.logger });
  host.closeOnStop(() => store.close());
  return startRoomAccessView({ bus, store, reader: host.name, logger: host.logger });
};
