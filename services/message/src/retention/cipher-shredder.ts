import { periodOf, type ContentCipher } from '@chat/privacy';
import type { RoomKeyShredder } from './key-shredder';

/**
 * Retention's key destruction through the content cipher of `@chat/privacy`, whose message
 * content keys are scoped by room id and cover one period of `keyPeriodMs`
 * (`privacy.key_period_ms`) each. A period lies wholly before the cutoff when it ends at or before
 * it: every period before the cutoff's own. The cipher destroys them in its key store and forgets
 * them here at once (other processes within `privacy.key_cache_ttl_ms`).
 */
export const cipherShredder = (
  cipher: Pick<ContentCipher, 'destroyScopeKeysBefore'>,
  keyPeriodMs: number,
): RoomKeyShredder => ({
  destroyRoomKeysBefore: (roomId, cutoff) =>
    cipher.destroyScopeKeysBefore(roomId, periodOf(cutoff, keyPeriodMs)),
});
