import { framedMlsMessage, keyPackageFor } from '@chat/testkit/mls';
import { describe, expect, it } from 'vitest';
import { acceptableKeyPackage } from './key-package';

describe('acceptableKeyPackage', () => {
  it('accepts a KeyPackage whose basic credential names the caller, with an id derived from its bytes', async () => {
    const keyPackage = await keyPackageFor('alice');
    const accepted = acceptableKeyPackage(keyPackage, 'alice');
    expect(accepted).toMatchObject({ ok: true, value: { key_package: keyPackage } });
    expect(acceptableKeyPackage(keyPackage, 'alice')).toEqual(accepted);
    expect(acceptableKeyPackage(await keyPackageFor('alice'), 'alice')).not.toEqual(accepted);
  });

  it('refuses one naming someone else: credential_mismatch', async () => {
    expect(acceptableKeyPackage(await keyPackageFor('mallory'), 'alice')).toMatchObject({
      ok: false,
      error: { code: 'credential_mismatch' },
    });
  });

  it('refuses what is not a whole KeyPackage: malformed_mls', async () => {
    const keyPackage = await keyPackageFor('alice');
    for (const bytes of [
      Buffer.from('nonsense').toString('base64'),
      keyPackage.slice(0, 80),
      framedMlsMessage('room-1', 0, 'application'),
    ]) {
      expect(acceptableKeyPackage(bytes, 'alice')).toMatchObject({
        ok: false,
        error: { code: 'malformed_mls' },
      });
    }
  });
});
