import { EncryptionKeyError } from './errors';
import { type Kek, unwrapKey, wrapKey } from './kek';
import type { KeyStore } from './store/port';

const BATCH = 200;

/**
 * Re-wraps every live data key of `store` from the KEK `from` to the KEK `to`, then records `to`
 * as the store's KEK. The data keys themselves do not change, so no event is touched. Each key is
 * re-wrapped only if still under `from`: a run interrupted anywhere is finished by running it
 * again, and a run after the end changes nothing.
 */
export const rotateKeys = async (store: KeyStore, from: Kek, to: Kek): Promise<{ rewrapped: number }> => {
  const check = await store.checkKek(from.id);
  if (!check.ok && check.stored_kek_id !== to.id) {
    throw new EncryptionKeyError(
      'wrong_encryption_key',
      `OLD_ENCRYPTION_KEY (${from.id}) is not the key this key store is wrapped under (${check.stored_kek_id}).`,
    );
  }
  let rewrapped = 0;
  let after = '';
  for (;;) {
    const keys = await store.listWrappedUnder(from.id, BATCH, after);
    if (keys.length === 0) break;
    for (const stored of keys) {
      const key = unwrapKey(from, stored.key_id, stored.wrapped);
      if (!key) throw new Error(`The data key ${stored.key_id} does not open with OLD_ENCRYPTION_KEY.`);
      const moved = await store.rewrap(stored.key_id, from.id, {
        kek_id: to.id,
        wrapped: wrapKey(to, stored.key_id, key),
      });
      if (moved) rewrapped++;
    }
    after = keys[keys.length - 1]!.key_id;
  }
  await store.recordKek(to.id);
  return { rewrapped };
};
