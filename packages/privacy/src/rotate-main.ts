import { createLogger } from '@chat/runtime';
import { EncryptionKeyError } from './errors';
import { kekFromEnv, openKeyStoreFromEnv } from './from-env';
import { rotateKeys } from './rotate';

/**
 * `pnpm keys:rotate`: re-wraps every data key of the key store from OLD_ENCRYPTION_KEY to
 * ENCRYPTION_KEY, on the key store the services use (KEY_STORE_URL, else the `chat_keys`
 * database of MONGODB_URL's server, else DATA_DIR/privacy/keys.db). The events are not touched.
 * Interrupted, it is finished by running it again; run again after the end, it changes nothing.
 */
const logger = createLogger('keys-rotate');
const env = process.env;
try {
  const from = kekFromEnv(env, 'OLD_ENCRYPTION_KEY');
  const to = kekFromEnv(env, 'ENCRYPTION_KEY');
  if (!from || !to) {
    throw new EncryptionKeyError(
      'missing_encryption_key',
      'Give both keys: OLD_ENCRYPTION_KEY (the one the key store is wrapped under) and ENCRYPTION_KEY (the new one).',
    );
  }
  const store = await openKeyStoreFromEnv(env, { logger });
  try {
    const { rewrapped } = await rotateKeys(store, from, to);
    logger.info(
      { rewrapped, from: from.id, to: to.id },
      'data keys re-wrapped under the new ENCRYPTION_KEY; start the services with it',
    );
  } finally {
    await store.close();
  }
} catch (error) {
  logger.error({ err: error }, error instanceof Error ? error.message : 'rotation failed');
  process.exitCode = 1;
}
