/** Why the key material cannot be used at start: the process must not run. */
export class EncryptionKeyError extends Error {
  override readonly name = 'EncryptionKeyError';
  constructor(
    readonly code: 'invalid_encryption_key' | 'missing_encryption_key' | 'wrong_encryption_key',
    message: string,
  ) {
    super(message);
  }
}

/** A data key could not be had to seal with: its user was erased, or its period expired. */
export class KeyGoneError extends Error {
  override readonly name = 'KeyGoneError';
  constructor(
    readonly reason: 'erased' | 'expired',
    keyId: string,
  ) {
    super(`The data key ${keyId} was destroyed (${reason}); nothing can be sealed under it.`);
  }
}
