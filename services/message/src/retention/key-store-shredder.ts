import { periodOf, type ContentCipher, type KeyStore } from '@chat/privacy';
import type { RoomKeyShredder } from './key-shredder';

/**
 * Retention's key destruction on the key store of `@chat/privacy`, where message content keys
 * are scoped by room id and cover one period of `keyPeriodMs` (`privacy.key_period_ms`) each. A
 * period lies wholly before the cutoff when it ends at or before it: every period before the
 * cutoff's own. This process's cipher forgets the destroyed keys at once; others' caches within
 * their `privacy.key_cache_ttl_ms`.
 */
export const keyStoreShredder = (
  store: Pick<KeyStore, 'destroyScopeBefore'>,
  cipher: Pick<ContentCipher, 'forget'>,
  keyPeriodMs: number,
): RoomKeyShredder => ({
  async destroyRoomKeysBefore(roomId, cutoff) {
    const before = periodOf(cutoff, keyPeriodMs);
    const destroyed = await store.destroyScopeBefore(roomId, before);
    cipher.forget({ scope: roomId, before });
    return destroyed;
  },
});
