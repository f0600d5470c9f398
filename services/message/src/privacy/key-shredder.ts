import type { ContentCipher, KeyStore } from '@chat/privacy';

/**
 * Destroys a user's data keys: whatever was sealed with them — in the event log, on the bus, in
 * any backup — can no longer be read (crypto-shredding). The route calls it before the erasure is
 * recorded, and again on a repeated request, so a failed destruction is completed by retrying.
 */
export interface UserKeyShredder {
  /** Destroys every data key of the user; resolves with how many it destroyed (0: none left). */
  destroyByUser(userId: string): Promise<number>;
}

/**
 * The key store of `@chat/privacy` as the shredder: destroys the user's keys there, then drops
 * them from this process's cache, so it stops opening their content at once (other processes
 * drop theirs as they read the erasure, or within the cache's time to live).
 */
export const keyStoreShredder = (
  store: Pick<KeyStore, 'destroyByUser'>,
  cipher: Pick<ContentCipher, 'forget'>,
): UserKeyShredder => ({
  async destroyByUser(userId) {
    const destroyed = await store.destroyByUser(userId);
    cipher.forget({ user_id: userId });
    return destroyed;
  },
});
