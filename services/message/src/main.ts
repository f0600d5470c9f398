import { dirname, join } from 'node:path';
import { InMemoryRateLimiter, RedisRateLimiter } from '@chat/runtime';
import { runServiceProcess } from '@chat/service-host';
import { Redis } from 'ioredis';
import { openEventSourcedParts } from '@chat/service-host/event-sourced';
import { openContentCipher } from '@chat/service-host/privacy';
import type { AuditReadModel } from './audit/application/port';
import { SqliteAuditReadModel } from './audit/adapters/sqlite-audit-read-model';
import type { KeyPackageDirectory } from './mls/key-packages/port';
import { SqliteKeyPackageDirectory } from './mls/key-packages/sqlite-key-package-directory';
import type { MessageReadModel } from './read-model/port';
import { SqliteReadModel } from './read-model/sqlite-read-model';
import { cipherShredder } from './retention/cipher-shredder';
import { createMessageService } from './service';

/** The service's read models and KeyPackage directory, opened and closed together on the same backend. */
const readModels = (messages: MessageReadModel, audit: AuditReadModel, keyPackages: KeyPackageDirectory) => ({
  messages,
  audit,
  keyPackages,
  close: async () => {
    await messages.close();
    await audit.close();
    await keyPackages.close();
  },
});

/**
 * The message service as its own process (fleet mode), configured from the environment:
 * EVENTSTORE_URL (else a SQLite event store under DATA_DIR), KAFKA_BROKERS (else the embedded
 * bus), MONGODB_URL for the read models (messages, audit log, MLS KeyPackages) and checkpoints (else SQLite under DATA_DIR), REDIS_URL and
 * REDIS_KEY_PREFIX for users' rate limits shared with the gateways (else in this process), PORT (8001).
 */
await runServiceProcess({
  name: 'message',
  title: 'Chat message service',
  defaultPort: 8001,
  build: async (host) => {
    const { settings, logger, registry } = host;
    const {
      store,
      bus,
      readModel: read,
      checkpoints,
    } = await openEventSourcedParts(host, {
      // The audit log's records in a file of their own beside the read model's.
      sqlite: (path) =>
        readModels(
          SqliteReadModel.open(path),
          SqliteAuditReadModel.open(join(dirname(path), 'audit.db')),
          SqliteKeyPackageDirectory.open(join(dirname(path), 'key-packages.db')),
        ),
      mongo: async (url) =>
        readModels(
          await (await import('./read-model/mongo-read-model')).MongoReadModel.open(url),
          await (await import('./audit/adapters/mongo-audit-read-model')).MongoAuditReadModel.open(url),
          await (
            await import('./mls/key-packages/mongo-key-package-directory')
          ).MongoKeyPackageDirectory.open(url),
        ),
    });
    // Users' budgets are shared with the gateways through Redis; without it, this process's own.
    const redis = host.env.REDIS_URL
      ? new Redis(host.env.REDIS_URL, { keyPrefix: host.env.REDIS_KEY_PREFIX ?? '' })
      : null;
    if (redis) host.closeOnStop(async () => redis.disconnect());
    const limiter = redis ? new RedisRateLimiter(redis) : new InMemoryRateLimiter();
    const cipher = await openContentCipher(host);
    return createMessageService({
      store,
      bus,
      readModel: read.messages,
      audit: read.audit,
      keyPackages: read.keyPackages,
      checkpoints,
      settings,
      logger,
      registry,
      limiter,
      cipher,
      keys: cipher,
      roomKeys: cipherShredder(cipher, settings.privacy.key_period_ms),
    });
  },
});
