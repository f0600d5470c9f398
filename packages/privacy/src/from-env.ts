import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { mongodbUrlFromEnv } from '@chat/event-sourcing/from-env';
import { ContentCipher, type CipherOptions } from './cipher';
import { EncryptionKeyError } from './errors';
import { generateEncryptionKey, type Kek, parseEncryptionKey } from './kek';
import type { KeyStore } from './store/port';

/** Where the embedded run keeps the key it generated when none was given. */
export const generatedKeyPath = (dataDir: string): string => join(dataDir, 'privacy', 'encryption.key');

/** The KEK named by `name` in `env`; a value given but malformed stops the start, saying why. */
export const kekFromEnv = (env: NodeJS.ProcessEnv, name = 'ENCRYPTION_KEY'): Kek | null => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return null;
  const parsed = parseEncryptionKey(raw, name);
  if (!parsed.ok) throw new EncryptionKeyError(parsed.code, parsed.message);
  return parsed.kek;
};

/**
 * The KEK of this process. The fleet requires `ENCRYPTION_KEY`. The embedded run (`generateUnder`:
 * its DATA_DIR) without one generates a key there, reuses it at each start, and warns: the key
 * beside the data protects nothing against a copy of that directory.
 */
export const requireKek = (
  env: NodeJS.ProcessEnv,
  options: { logger: Logger; generateUnder?: string },
): Kek => {
  const given = kekFromEnv(env);
  if (given) return given;
  if (options.generateUnder === undefined) {
    throw new EncryptionKeyError(
      'missing_encryption_key',
      'ENCRYPTION_KEY is required: 32 random bytes as base64 or hex (`openssl rand -base64 32`). It wraps ' +
        'the keys of all stored messages; keep it safe, a lost key makes them unreadable.',
    );
  }
  const path = generatedKeyPath(options.generateUnder);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${generateEncryptionKey()}\n`, { mode: 0o600, flag: 'wx' });
  }
  options.logger.warn(
    { path },
    '!!! ENCRYPTION_KEY is not set: messages are encrypted at rest under a key GENERATED AND STORED ' +
      'BESIDE THE DATA. Anyone with a copy of DATA_DIR can read them. Set ENCRYPTION_KEY (and keep it ' +
      'apart from the data) for any real use. !!!',
  );
  return kekFromEnv({ ENCRYPTION_KEY: readFileSync(path, 'utf8') })!;
};

/**
 * The key store, chosen once at start-up: on MongoDB when MONGODB_URL is set (collections
 * `privacy_*`), else a SQLite file DATA_DIR/privacy/keys.db.
 */
export const openKeyStoreFromEnv = async (
  env: NodeJS.ProcessEnv,
  options: { logger: Logger },
): Promise<KeyStore> => {
  const mongodbUrl = mongodbUrlFromEnv(env);
  if (mongodbUrl) {
    const { MongoKeyStore } = await import('./store/mongo-key-store');
    options.logger.info('key store: MongoDB');
    return MongoKeyStore.open(mongodbUrl);
  }
  const { SqliteKeyStore } = await import('./store/sqlite-key-store');
  const path = join(env.DATA_DIR ?? './data', 'privacy', 'keys.db');
  options.logger.info({ path }, 'key store: SQLite');
  return SqliteKeyStore.open(path);
};

/** The content cipher of a process: its KEK (see `requireKek`) checked against its key store. */
export const openContentCipherFromEnv = async (
  env: NodeJS.ProcessEnv,
  options: CipherOptions & { logger: Logger; generateUnder?: string },
): Promise<{ cipher: ContentCipher; store: KeyStore }> => {
  const kek = requireKek(env, options);
  const store = await openKeyStoreFromEnv(env, options);
  try {
    return { cipher: await ContentCipher.start(store, kek, options), store };
  } catch (error) {
    await store.close();
    throw error;
  }
};
