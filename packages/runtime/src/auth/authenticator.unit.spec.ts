import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, signToken, SYSTEM_USER_ID } from './authenticator';

const SECRET = 'unit-secret-0123456789abcdef0123456789';
const authenticator = createAuthenticator({ secret: SECRET });

describe('authenticator', () => {
  it('accepts a signed token and names its user', async () => {
    const verified = await authenticator.verify(await signToken(SECRET, { userId: 'ann', admin: true }));
    expect(verified).toMatchObject({ ok: true, value: { userId: 'ann', isAdmin: true } });
  });

  it("refuses a token that speaks as the platform's own actor", async () => {
    const verified = await authenticator.verify(await signToken(SECRET, { userId: SYSTEM_USER_ID }));
    expect(verified).toMatchObject({ ok: false, error: { code: 'invalid_token' } });
  });

  it('refuses a token signed with another secret', async () => {
    const verified = await authenticator.verify(await signToken(`${SECRET}-other`, { userId: 'ann' }));
    expect(verified).toMatchObject({ ok: false, error: { code: 'invalid_token' } });
  });

  it('refuses a token that never expires, or lives longer than allowed', async () => {
    const endless = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ann')
      .sign(new TextEncoder().encode(SECRET));
    expect(await authenticator.verify(endless)).toMatchObject({
      ok: false,
      error: { code: 'invalid_token', message: 'Token has no "exp" claim.' },
    });
    const long = await signToken(SECRET, { userId: 'ann', ttlSeconds: 2 * 24 * 3600 });
    expect(await authenticator.verify(long)).toMatchObject({ ok: false, error: { code: 'invalid_token' } });
    const hourly = createAuthenticator({ secret: SECRET, maxLifetimeSeconds: 3600 });
    expect(await hourly.verify(await signToken(SECRET, { userId: 'ann', ttlSeconds: 7200 }))).toMatchObject({
      ok: false,
    });
  });

  it('refuses to start on an HS256 secret shorter than 32 bytes', () => {
    expect(() => createAuthenticator({ secret: 'short-secret' })).toThrow(/at least 32 bytes/);
  });
});
