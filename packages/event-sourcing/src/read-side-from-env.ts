import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CheckpointStore } from './checkpoint-store';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store';

/** Something a process closes when it stops. */
export interface Closable {
  close(): unknown;
}

/** A service's read model with the checkpoints of the projections that feed it. */
export interface ReadSide<ReadModel extends Closable> {
  readModel: ReadModel;
  checkpoints: CheckpointStore & Closable;
}

/** How a service opens its own read model on each backend. */
export interface ReadModelOpeners<ReadModel extends Closable> {
  /** Opens the SQLite read model in the file at `path`. */
  sqlite(path: string): ReadModel;
  /**
   * Opens the MongoDB read model at `url`. Import its module here, lazily, so a process on SQLite
   * never loads the MongoDB driver.
   */
  mongo(url: string): Promise<ReadModel>;
}

/**
 * A service's read side, chosen once at start-up: read model and checkpoints on MongoDB when
 * MONGODB_URL is set, else SQLite files (read-model.db, checkpoints.db) under DATA_DIR/<service>.
 */
export const openReadSideFromEnv = async <ReadModel extends Closable>(
  env: NodeJS.ProcessEnv,
  options: { service: string; logger: Logger },
  openers: ReadModelOpeners<ReadModel>,
): Promise<ReadSide<ReadModel>> => {
  if (env.MONGODB_URL) {
    const { MongoCheckpointStore } = await import('./mongo-checkpoint-store');
    options.logger.info('read model and checkpoints: MongoDB');
    return {
      readModel: await openers.mongo(env.MONGODB_URL),
      checkpoints: await MongoCheckpointStore.open(env.MONGODB_URL),
    };
  }
  const dataDir = join(env.DATA_DIR ?? './data', options.service);
  options.logger.info({ data_dir: dataDir }, 'read model and checkpoints: SQLite');
  return {
    readModel: openers.sqlite(join(dataDir, 'read-model.db')),
    checkpoints: SqliteCheckpointStore.open(join(dataDir, 'checkpoints.db')),
  };
};
