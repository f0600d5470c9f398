/**
 * Destroys a user's data keys: whatever was sealed with them — in the event log, on the bus, in
 * any backup — can no longer be read (crypto-shredding). The route calls it before the erasure is
 * recorded, and again on a repeated request, so a failed destruction is completed by retrying.
 * `ContentCipher` of `@chat/privacy` is the adapter: it destroys them in its key store and drops
 * them from this process's cache at once.
 */
export interface UserKeyShredder {
  /** Destroys every data key of the user; resolves with how many it destroyed (0: none left). */
  destroyUserKeys(userId: string): Promise<number>;
}
