import type { KeyRef } from '../key-id';

/** Why a data key no longer exists: its user was erased, or its content expired (retention). */
export type GoneReason = 'erased' | 'expired';

/** A data key as stored: wrapped under the KEK named `kek_id`. */
export interface WrappedKey extends KeyRef {
  key_id: string;
  kek_id: string;
  /** The data key sealed under the KEK, bound to `key_id` (see `wrapKey`). */
  wrapped: string;
}

/** What the store knows of a key id. */
export type KeyLookup =
  | { status: 'live'; key: WrappedKey }
  /** Destroyed: no key material is left, only why. */
  | { status: 'gone'; reason: GoneReason }
  | { status: 'missing' };

/** The result of comparing the KEK given at start with the one the store's keys are wrapped under. */
export type KekCheck =
  { ok: true } | { ok: false; code: 'wrong_encryption_key'; stored_kek_id: string; given_kek_id: string };

/**
 * The key store: data keys, wrapped, outside the event log, and destroyable (crypto-shredding).
 * A destroyed key leaves a tombstone (its id, scope, user, period and why) and no key material.
 */
export interface KeyStore {
  /**
   * Compares `kekId` with the KEK recorded at the store's first use (recording it then); a store
   * whose keys are wrapped under another KEK answers which.
   */
  checkKek(kekId: string): Promise<KekCheck>;
  /**
   * Stores `candidate` unless its key id exists; answers what is stored then: the first writer
   * wins, so concurrent creators all get the same key, and a destroyed key is never created again.
   */
  getOrCreate(candidate: WrappedKey): Promise<KeyLookup & { status: 'live' | 'gone' }>;
  get(keyId: string): Promise<KeyLookup>;
  /** Destroys every live key of `userId` as `erased`; answers how many. */
  destroyByUser(userId: string): Promise<number>;
  /** Destroys every live key of `scope` whose period is before `period` as `expired`; answers how many. */
  destroyScopeBefore(scope: string, period: number): Promise<number>;
  /** Up to `limit` live keys wrapped under `kekId`, in key id order after `afterKeyId`. */
  listWrappedUnder(kekId: string, limit: number, afterKeyId?: string): Promise<WrappedKey[]>;
  /**
   * Replaces a key's wrapping if it is still wrapped under `fromKekId` (a rotation run twice, or
   * a key destroyed meanwhile, changes nothing); answers whether it did.
   */
  rewrap(keyId: string, fromKekId: string, to: { kek_id: string; wrapped: string }): Promise<boolean>;
  /** Records `kekId` as the store's KEK, once every key is wrapped under it (end of a rotation). */
  recordKek(kekId: string): Promise<void>;
  close(): Promise<void>;
}
