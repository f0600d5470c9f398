import { periodOf, type KeyStore } from '@chat/privacy';
import type { RoomKeyShredder } from './key-shredder';

/**
 * Retention's key destruction on the key store of `@chat/privacy`, where message content keys
 * are scoped by room id and cover one period of `keyPeriodMs` (`privacy.key_period_ms`) each. A
 * period lies wholly before the cutoff when it ends at or before it: every period before the
 * cutoff's own.
 */
export const keyStoreShredder = (
  store: Pick<KeyStore, 'destroyScopeBefore'>,
  keyPeriodMs: number,
): RoomKeyShredder => ({
  destroyRoomKeysBefore: (roomId, cutoff) => store.destroyScopeBefore(roomId, periodOf(cutoff, keyPeriodMs)),
});
