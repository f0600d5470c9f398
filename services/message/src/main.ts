import { InMemoryRateLimiter, RedisRateLimiter } from '@chat/runtime';
import { runServiceProcess } from '@chat/service-host';
import { Redis } from 'ioredis';
import { openEventSourcedParts } from '@chat/service-host/event-sourced';
import type { MessageReadModel } from './read-model/port';
import { SqliteReadModel } from './read-model/sqlite-read-model';
import { createMessageService } from './service';

/**
 * The message service as its own process (fleet mode), configured from the environment:
 * EVENTSTORE_URL (else a SQLite event store under DATA_DIR), KAFKA_BROKERS (else the embedded
 * bus), MONGODB_URL for the read model and checkpoints (else SQLite under DATA_DIR), REDIS_URL and
 * REDIS_KEY_PREFIX for users' rate limits shared with the gateways (else in this process), PORT (8001).
 */
await runServiceProcess({
  name: 'message',
  title: 'Chat message service',
  defaultPort: 8001,
  build: async (host) => {
    const { settings, logger, registry } = host;
    const { store, bus, readModel, checkpoints } = await openEventSourcedParts<MessageReadModel>(host, {
      sqlite: (path) => SqliteReadModel.open(path),
      mongo: async (url) => (await import('./read-model/mongo-read-model')).MongoReadModel.open(url),
    });
    // Users' budgets are shared with the gateways through Redis; without it, this process's own.
    const redis = host.env.REDIS_URL
      ? new Redis(host.env.REDIS_URL, { keyPrefix: host.env.REDIS_KEY_PREFIX ?? '' })
      : null;
    if (redis) host.closeOnStop(async () => redis.disconnect());
    const limiter = redis ? new RedisRateLimiter(redis) : new InMemoryRateLimiter();
    return createMessageService({ store, bus, readModel, checkpoints, settings, logger, registry, limiter });
  },
});
