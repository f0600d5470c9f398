import { createHash } from 'node:crypto';
import { reject, type Rejection, type Result } from '@chat/contracts';
import { decodeWholeMlsMessage } from '../framing';

/** A KeyPackage the directory keeps: its bytes (an MLSMessage, base64) and an id derived from them. */
export interface StoredKeyPackage {
  package_id: string;
  key_package: string;
}

const malformed = (message: string): Result<StoredKeyPackage, Rejection> => ({
  ok: false,
  error: reject('malformed_mls', message),
});

/**
 * A KeyPackage the caller may publish: a whole MLSMessage of wire format `mls_key_package` whose
 * leaf carries a basic credential naming the caller — the Authentication Service's binding of
 * MLS identities to authenticated users. Its signature and lifetime are for the members who add
 * it to check (RFC 9420 §10.1), as they must anyway.
 */
export const acceptableKeyPackage = (base64: string, userId: string): Result<StoredKeyPackage, Rejection> => {
  const message = decodeWholeMlsMessage(base64);
  if (!message) return malformed('Not an MLSMessage.');
  if (message.wireformat !== 'mls_key_package') {
    return malformed(`Expected a KeyPackage, not ${message.wireformat}.`);
  }
  const { credential } = message.keyPackage.leafNode;
  if (credential.credentialType !== 'basic') {
    return malformed('A KeyPackage here carries a basic credential.');
  }
  if (Buffer.from(credential.identity).toString('utf8') !== userId) {
    return {
      ok: false,
      error: reject('credential_mismatch', "The KeyPackage's credential names another user than you."),
    };
  }
  return {
    ok: true,
    value: {
      package_id: createHash('sha256').update(Buffer.from(base64, 'base64')).digest('base64url'),
      key_package: base64,
    },
  };
};
