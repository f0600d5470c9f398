import { join } from 'node:path';
import type { Logger } from 'pino';
import { mongodbUrlFromEnv } from '@chat/event-sourcing/from-env';
import type { RoomAccessStore } from './port';

/**
 * A service's room access store, chosen once at start-up: on MongoDB when MONGODB_URL is set (its
 * database, in collections named after the service), else a SQLite file under DATA_DIR/<service>.
 */
export const openRoomAccessStoreFromEnv = async (
  env: NodeJS.ProcessEnv,
  options: { service: string; logger: Logger },
): Promise<RoomAccessStore> => {
  const mongodbUrl = mongodbUrlFromEnv(env);
  if (mongodbUrl) {
    const { MongoRoomAccessStore } = await import('./mongo-store');
    options.logger.info('room access view: MongoDB');
    return MongoRoomAccessStore.open(mongodbUrl, { owner: options.service });
  }
  const { SqliteRoomAccessStore } = await import('./sqlite-store');
  const path = join(env.DATA_DIR ?? './data', options.service, 'room-access.db');
  options.logger.info({ path }, 'room access view: SQLite');
  return SqliteRoomAccessStore.open(path);
};
