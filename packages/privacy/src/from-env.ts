import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { ContentCipher, type CipherOptions } from './cipher';
import { EncryptionKeyError } from './errors';
import { generateEncryptionKey, type Kek, parseEncryptionKey } from './kek';
import type { KeyStore } from './store/port';

/** The cipher's options from the settings' `privacy` section (config/default.yaml). */
export const cipherOptionsOf = ({
  privacy,
}: {
  privacy: { key_period_ms: number; key_cache_size: number; key_cache_ttl_ms: number };
}): CipherOptions => ({
  keyPeriodMs: privacy.key_period_ms,
  cacheSize: privacy.key_cache_size,
  cacheTtlMs: privacy.key_cache_ttl_ms,
});

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

/** The database of the key store on the MongoDB server of MONGODB_URL, unless KEY_STORE_URL names one. */
export const KEY_STORE_DATABASE = 'chat_keys';

/**
 * Where the key store is on MongoDB: KEY_STORE_URL, else database `chat_keys` on the server of
 * MONGODB_URL. Every process that seals or opens content (gateways, message, search,
 * notification) must reach the same key store, while each service has a database of its own.
 */
export const keyStoreUrlFromEnv = (env: NodeJS.ProcessEnv): string | undefined => {
  if (env.KEY_STORE_URL) return env.KEY_STORE_URL;
  if (!env.MONGODB_URL) return undefined;
  const url = new URL(env.MONGODB_URL);
  url.pathname = `/${KEY_STORE_DATABASE}`;
  return url.toString();
};

/**
 * The key store, chosen once at start-up: on MongoDB (see `keyStoreUrlFromEnv`; collections
 * `privacy_*`), else a SQLite file DATA_DIR/privacy/keys.db.
 */
export const openKeyStoreFromEnv = async (
  env: NodeJS.ProcessEnv,
  options: { logger: Logger },
): Promise<KeyStore> => {
  const mongodbUrl = keyStoreUrlFromEnv(env);
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
