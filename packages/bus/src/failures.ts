/** Error codes of a connection that failed or a server that is not answering right now. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/** Error classes of the drivers we use that mean "the server is unavailable", not "this input is bad". */
const TRANSIENT_NAMES = new Set([
  // mongodb
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  // @elastic/elasticsearch
  'ConnectionError',
  'NoLivingConnectionsError',
  'TimeoutError',
  // ioredis
  'MaxRetriesPerRequestError',
]);

/** HTTP statuses of a server that is overloaded or starting: the same request may pass later. */
const TRANSIENT_STATUSES = new Set([408, 429, 502, 503, 504]);

/**
 * Whether a handler's failure says a dependency is unavailable (retry until it is back) rather
 * than that the record itself cannot be handled (retry a few times, then dead-letter it).
 * Deliberately narrow: only failures no input can provoke count as transient, so no crafted
 * record can hold a partition by looking like an outage.
 */
export const isTransientFailure = (error: unknown): boolean => {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (typeof cause !== 'object') return false;
    const { code, name, statusCode, retriable } = cause as {
      code?: unknown;
      name?: unknown;
      statusCode?: unknown;
      retriable?: unknown;
    };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
    if (typeof statusCode === 'number' && TRANSIENT_STATUSES.has(statusCode)) return true;
    // kafkajs marks each of its errors retriable or not.
    if (typeof name === 'string' && name.startsWith('KafkaJS') && retriable === true) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
};
