import { MongoClient, type Db, type IndexDescription } from 'mongodb';
import pino from 'pino';

/** A server check opens its connection within this long, or fails. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * A server check that neither succeeded nor failed after this long is wedged: twice the connect
 * timeout, which bounds the connection and its handshake, plus a heartbeat's wait for an awaitable
 * `hello` (10 s).
 */
export const MONITOR_STALL_MS = 2 * CONNECT_TIMEOUT_MS + 10_000;

const logger = pino({ name: 'mongodb-client', level: process.env.LOG_LEVEL ?? 'info' });

type MonitoredClient = Pick<MongoClient, 'on' | 'close' | 'connect'>;

/** Between attempts to connect a client taken down because its monitor wedged. */
const RECONNECT_RETRY_MS = 2_000;

/**
 * Connects the client again when its server monitor wedges. When the server goes away while the
 * monitor connects to it (a MongoDB-wire server restarting), the driver's check can hang for
 * good — reproduced with drivers 6.22 and 7.9 against FerretDB: no further check starts, and
 * every operation fails server selection until the process restarts, while the server is back.
 * Closing the client and connecting it again starts a new monitor; the databases and collections
 * taken from it keep working. Its owner closing it ends the watch.
 */
export const reconnectWhenMonitorStalls = (
  client: MonitoredClient,
  stallMs = MONITOR_STALL_MS,
  retryMs = RECONNECT_RETRY_MS,
) => {
  let stalled: NodeJS.Timeout | undefined;
  let reconnecting = false;
  let stopped = false;
  const reconnect = async () => {
    reconnecting = true;
    logger.warn({ stall_ms: stallMs }, 'server check wedged; connecting the client again');
    await client.close().catch(() => {});
    while (!stopped) {
      try {
        await client.connect();
        logger.info('client connected again');
        break;
      } catch (error) {
        // A closed client does not connect by itself on its next operation: keep trying.
        logger.warn({ err: error }, 'connecting the client again failed');
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    }
    reconnecting = false;
  };
  client.on('serverHeartbeatStarted', () => {
    clearTimeout(stalled);
    if (!stopped) stalled = setTimeout(() => void reconnect(), stallMs).unref();
  });
  const settled = () => clearTimeout(stalled);
  client.on('serverHeartbeatSucceeded', settled);
  client.on('serverHeartbeatFailed', settled);
  client.on('topologyClosed', () => {
    if (reconnecting) return;
    stopped = true;
    clearTimeout(stalled);
  });
};

/**
 * Connects to `url`, and hands the database `database` (default: the one named in the URL) and
 * the client to `prepare`; if that fails, closes the client before rethrowing. The client
 * reconnects when its monitor wedges (`reconnectWhenMonitorStalls`).
 */
export const connectMongo = async <T>(
  url: string,
  options: { database?: string },
  prepare: (db: Db, client: MongoClient) => Promise<T>,
): Promise<T> => {
  const client = new MongoClient(url, { connectTimeoutMS: CONNECT_TIMEOUT_MS });
  reconnectWhenMonitorStalls(client);
  await client.connect();
  try {
    return await prepare(client.db(options.database), client);
  } catch (error) {
    await client.close();
    throw error;
  }
};

/**
 * Creates each index in a command of its own: FerretDB 1.24 panics (and drops the connection) on
 * a createIndexes that names several indexes which all exist already, as they do on every restart.
 */
export const createIndexesOneByOne = async (
  db: Db,
  indexes: readonly (readonly [collection: string, index: IndexDescription])[],
): Promise<void> => {
  for (const [collection, index] of indexes) await db.collection(collection).createIndexes([index]);
};
