import type { ContentCipher } from '@chat/privacy';
import { cipherOptionsOf, openContentCipherFromEnv } from '@chat/privacy/from-env';
import type { ServiceProcessHost } from './run-service-process';

/**
 * The service's content cipher: ENCRYPTION_KEY is required (a service of the fleet never makes one
 * up), checked against the key store (MongoDB when MONGODB_URL is set, else SQLite under
 * DATA_DIR); the store is closed at stop. A module of its own, so a service that seals nothing
 * does not bundle it.
 */
export const openContentCipher = async (host: ServiceProcessHost): Promise<ContentCipher> => {
  const { cipher, store } = await openContentCipherFromEnv(host.env, {
    ...cipherOptionsOf(host.settings),
    logger: host.logger,
  });
  host.closeOnStop(() => store.close());
  return cipher;
};
