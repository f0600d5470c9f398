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
 * The MongoDB URL of a service: MONGODB_URL, its database replaced by MONGODB_DATABASE when set.
 * Each service keeps its own database — no service reads another's — so one server URL in a
 * deployment's shared configuration and a database per service is the usual setup.
 */
export const mongodbUrlFromEnv = (env: NodeJS.ProcessEnv): string | undefined => {
  if (!env.MONGODB_URL || !env.MONGODB_DATABASE) return env.MONGODB_URL;
  const url = new URL(env.MONGODB_URL);
  url.pathname = `/${env.MONGODB_DATABASE}`;
  return url.toString();
};

/**
 * A service's read side, chosen once at start-up: read model and checkpoints on MongoDB when
 * MONGODB_URL is set (see `mongodbUrlFromEnv`), else SQLite files (read-model.db, checkpoints.db)
 * under DATA_DIR/<service>.
 */
export const openReadSideFromEnv = async <ReadModel extends Closable>(
  env: NodeJS.ProcessEnv,
  options: { service: string; logger: Logger },
  openers: ReadModelOpeners<ReadModel>,
): Promise<ReadSide<ReadModel>> => {
  const mongodbUrl = mongodbUrlFromEnv(env);
  if (mongodbUrl) {
    const { MongoCheckpointStore } = await import('./mongo-checkpoint-store');
    options.logger.info('read model and checkpoints: MongoDB');
    return {
      readModel: await openers.mongo(mongodbUrl),
      checkpoints: await MongoCheckpointStore.open(mongodbUrl),
    };
  }
  const dataDir = join(env.DATA_DIR ?? './data', options.service);
  options.logger.info({ data_dir: dataDir }, 'read model and checkpoints: SQLite');
  return {
    readModel: openers.sqlite(join(dataDir, 'read-model.db')),
    checkpoints: SqliteCheckpointStore.open(join(dataDir, 'checkpoints.db')),
  };
};
