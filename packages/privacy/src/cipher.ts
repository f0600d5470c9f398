import { isSealed, openWith, parseSealed, sealWith } from './envelope';
import { EncryptionKeyError, KeyGoneError } from './errors';
import { type Kek, newDataKey, unwrapKey, wrapKey } from './kek';
import { KeyCache } from './key-cache';
import { fileKeyRef, keyIdOf, periodOf, type KeyRef } from './key-id';
import type { GoneReason, KeyLookup, KeyStore } from './store/port';

export interface CipherOptions {
  /** The length of a data key's period (`privacy.key_period_ms`). */
  keyPeriodMs: number;
  /** How many unwrapped data keys are kept in memory at most (`privacy.key_cache_size`). */
  cacheSize: number;
  /** How long an unwrapped key is used before the store is asked again (`privacy.key_cache_ttl_ms`). */
  cacheTtlMs: number;
}

/** Who wrote a value, where and when: which data key seals it. */
export interface SealContext {
  /** The room id for message content; `files` for file names. */
  scope: string;
  user_id: string;
  at: number | string | Date;
}

/** What opening a value gives: its text, or why it cannot be read. */
export type Opened =
  | { ok: true; text: string }
  /** Its key was destroyed: shown as a tombstone. */
  | { ok: false; gone: GoneReason }
  /** It does not authenticate (tampered, or bound to other data), or its key is unknown here. */
  | { ok: false; refused: 'tampered' | 'unknown_key'; message: string };

/**
 * How long a key this process used lately may still be used past `cacheTtlMs` while the key store
 * cannot answer (down, or slower than `STORE_GRACE_MS`): an outage of the store does not stop the
 * rooms in use. A key destroyed meanwhile is refused once the store answers again.
 */
const STALE_FOR_MS = 10 * 60_000;
/** How long a lookup of a key held stale waits for the store before the stale key is used. */
const STORE_GRACE_MS = 1_000;

/** A usable data key, or why there is none. */
type KeyState = { key: Buffer; ref: KeyRef } | { gone: GoneReason; ref?: KeyRef } | { missing: true };

/**
 * Seals and opens what users write, under per-(scope, user, period) data keys from the key
 * store, unwrapped with the KEK and kept in a bounded cache: after a key's first use, sealing and
 * opening cost no I/O.
 */
export class ContentCipher {
  private readonly cache: KeyCache<{ key: Buffer; ref: KeyRef } | { gone: GoneReason; ref?: KeyRef }>;
  private readonly loading = new Map<string, Promise<KeyState>>();
  /** The store failed, or kept silent past the grace, and has not answered since: nobody waits on it. */
  private storeUnanswering = false;

  private constructor(
    private readonly store: KeyStore,
    private readonly kek: Kek,
    private readonly options: CipherOptions,
  ) {
    this.cache = new KeyCache(options.cacheSize, options.cacheTtlMs, STALE_FOR_MS);
  }

  /**
   * A cipher on `store` with `kek`, once the store confirms its keys are wrapped under that KEK:
   * a wrong key stops the start here, with an error saying so.
   */
  static async start(store: KeyStore, kek: Kek, options: CipherOptions): Promise<ContentCipher> {
    const check = await store.checkKek(kek.id);
    if (!check.ok) {
      throw new EncryptionKeyError(
        'wrong_encryption_key',
        `ENCRYPTION_KEY is not the key this key store's data keys are wrapped under (the store's key ` +
          `has fingerprint ${check.stored_kek_id}, the one given ${check.given_kek_id}). Start with the ` +
          'original key, or move to a new one with `pnpm keys:rotate` (OLD_ENCRYPTION_KEY=<original>).',
      );
    }
    return new ContentCipher(store, kek, options);
  }

  /** Seals `text` under the data key of (scope, user, period of `at`), bound to `aad`. */
  async seal(text: string, context: SealContext, aad: string): Promise<string> {
    const ref = {
      scope: context.scope,
      user_id: context.user_id,
      period: periodOf(context.at, this.options.keyPeriodMs),
    };
    const { keyId, key } = await this.dataKey(ref);
    return sealWith(key, keyId, text, aad);
  }

  /** Opens `value` bound to `aad`; a value that is not sealed (written before encryption) is its own text. */
  async open(value: string, aad: string): Promise<Opened> {
    if (!isSealed(value)) return { ok: true, text: value };
    const parts = parseSealed(value);
    if (!parts) return { ok: false, refused: 'tampered', message: 'The sealed value is malformed.' };
    const state = await this.keyById(parts.keyId);
    if ('gone' in state) return { ok: false, gone: state.gone };
    if ('missing' in state) {
      return { ok: false, refused: 'unknown_key', message: `The key store holds no key ${parts.keyId}.` };
    }
    const plain = openWith(state.key, parts, aad);
    if (!plain) return { ok: false, refused: 'tampered', message: 'The sealed value does not authenticate.' };
    return { ok: true, text: plain.toString('utf8') };
  }

  /** The data key of `ref`, created on first use; throws KeyGoneError if it was destroyed. */
  async dataKey(ref: KeyRef): Promise<{ keyId: string; key: Buffer }> {
    const keyId = keyIdOf(ref);
    const cached = this.cache.get(keyId);
    const state = cached ?? (await this.load(keyId, () => this.create(keyId, ref)));
    if ('gone' in state) throw new KeyGoneError(state.gone, keyId);
    if ('missing' in state) throw new Error(`The data key ${keyId} was neither found nor created.`);
    return { keyId, key: state.key };
  }

  /**
   * The random key of one file (its blob, its name), created on the first call with the uploader
   * as its user, so erasing the uploader destroys it. Throws KeyGoneError once destroyed.
   */
  async fileKey(fileId: string, uploaderId: string): Promise<{ keyId: string; key: Buffer }> {
    return this.dataKey(fileKeyRef(fileId, uploaderId));
  }

  /**
   * The key of a file, to read it: never created here. Null when the file never had one (stored
   * before encryption); `gone` once its uploader was erased (or the key expired).
   */
  async fileKeyToRead(
    fileId: string,
    uploaderId: string,
  ): Promise<{ ok: true; key: Buffer } | { ok: false; gone: GoneReason } | null> {
    const state = await this.keyById(keyIdOf(fileKeyRef(fileId, uploaderId)));
    if ('missing' in state) return null;
    return 'gone' in state ? { ok: false, gone: state.gone } : { ok: true, key: state.key };
  }

  /**
   * Erasure: destroys every key of `userId` in the key store and forgets them here at once (other
   * processes stop within `cacheTtlMs`, or at once when told to `forget`). Answers how many.
   */
  async destroyUserKeys(userId: string): Promise<number> {
    const destroyed = await this.store.destroyByUser(userId);
    this.forget({ user_id: userId });
    return destroyed;
  }

  /** Retention: destroys the keys of `scope` (a room) for the periods before `period`, and forgets them here. */
  async destroyScopeKeysBefore(scope: string, period: number): Promise<number> {
    const destroyed = await this.store.destroyScopeBefore(scope, period);
    this.forget({ scope, before: period });
    return destroyed;
  }

  /**
   * Forgets the cached keys of a user (after an erasure) or of a scope's periods before `before`
   * (after retention), so this process stops reading them at once.
   */
  forget(which: { user_id: string } | { scope: string; before: number }): void {
    this.cache.forget(({ ref }) =>
      ref === undefined
        ? false
        : 'user_id' in which
          ? ref.user_id === which.user_id
          : ref.scope === which.scope && ref.period < which.before,
    );
  }

  /** The cached state of a key id, or the store's, loaded once however many ask at the same time. */
  private async keyById(keyId: string): Promise<KeyState> {
    return (
      this.cache.get(keyId) ?? this.load(keyId, async () => this.stateOf(keyId, await this.store.get(keyId)))
    );
  }

  /**
   * The key's state from the store, loaded once however many ask. While the store does not answer
   * (an error, or nothing within `STORE_GRACE_MS`), a key held stale is used: the lookup goes on,
   * and its answer — a destruction included — replaces the stale key when it comes. Only the
   * caller that started the lookup waits for it, and nobody once the store has failed or kept
   * silent, until it answers again: the others use the stale key at once.
   */
  private async load(keyId: string, fetch: () => Promise<KeyState>): Promise<KeyState> {
    const inFlight = this.loading.get(keyId);
    const stale = this.cache.stale(keyId);
    // The store is already being asked: one caller waits for it, the others go on with the key.
    if (inFlight && stale) return stale;
    const loaded = inFlight ?? this.startLoading(keyId, fetch);
    if (!stale) return loaded;
    if (this.storeUnanswering) return stale;
    let grace: NodeJS.Timeout | undefined;
    const storeSilent = new Promise<KeyState>((resolve) => {
      grace = setTimeout(() => {
        this.storeUnanswering = true;
        resolve(stale);
      }, STORE_GRACE_MS);
    });
    return Promise.race([loaded.catch(() => stale), storeSilent]).finally(() => clearTimeout(grace));
  }

  private startLoading(keyId: string, fetch: () => Promise<KeyState>): Promise<KeyState> {
    const loaded = fetch()
      .then(
        (state) => {
          this.storeUnanswering = false;
          if (!('missing' in state)) this.cache.set(keyId, state);
          return state;
        },
        (error: unknown) => {
          this.storeUnanswering = true;
          throw error;
        },
      )
      .finally(() => this.loading.delete(keyId));
    this.loading.set(keyId, loaded);
    // Callers holding a stale key do not wait for this; a failure is theirs to see only without one.
    loaded.catch(() => {});
    return loaded;
  }

  private async create(keyId: string, ref: KeyRef): Promise<KeyState> {
    const stored = await this.store.getOrCreate({
      key_id: keyId,
      ...ref,
      kek_id: this.kek.id,
      wrapped: wrapKey(this.kek, keyId, newDataKey()),
    });
    return this.stateOf(keyId, stored);
  }

  private stateOf(keyId: string, lookup: KeyLookup): KeyState {
    if (lookup.status === 'missing') return { missing: true };
    if (lookup.status === 'gone') return { gone: lookup.reason };
    const { key: stored } = lookup;
    const key = unwrapKey(this.kek, keyId, stored.wrapped);
    if (!key) {
      throw new EncryptionKeyError(
        'wrong_encryption_key',
        `The data key ${keyId} is wrapped under ${stored.kek_id}, not under ENCRYPTION_KEY (${this.kek.id}); ` +
          'finish the key rotation (`pnpm keys:rotate`).',
      );
    }
    return { key, ref: { scope: stored.scope, user_id: stored.user_id, period: stored.period } };
  }
}
