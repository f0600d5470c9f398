import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  claimedSubject,
  createAuthenticator,
  fleetAuthSettingsFromEnv,
  refusingUsers,
  signToken,
  SYSTEM_USER_ID,
} from './authenticator';

const SECRET = 'unit-secret-0123456789abcdef0123456789';
const authenticator = createAuthenticator({ secret: SECRET });

describe('refusingUsers', () => {
  it('refuses the valid tokens of the users it is told to, and passes the others and invalid ones as they are', async () => {
    const refusing = refusingUsers(authenticator, (userId) =>
      userId === 'vic' ? { code: 'suspended', message: 'Suspended.' } : null,
    );
    expect(await refusing.verify(await signToken(SECRET, { userId: 'vic' }))).toEqual({
      ok: false,
      error: { code: 'suspended', message: 'Suspended.' },
    });
    expect(await refusing.verify(await signToken(SECRET, { userId: 'ann' }))).toMatchObject({ ok: true });
    expect(await refusing.verify('nonsense')).toMatchObject({ ok: false, error: { code: 'invalid_token' } });
  });
});

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

  it('takes user ids of the documented characters only', async () => {
    for (const userId of [
      'auth0|5f7c8ec7',
      'ann@example.com',
      'a:b',
      'ann.smith-2',
      'QUJD_ZA==',
      'x'.repeat(128),
    ]) {
      expect(await authenticator.verify(await signToken(SECRET, { userId })), userId).toMatchObject({
        ok: true,
      });
    }
    for (const userId of [
      'ann smith',
      '../admin',
      'a/b',
      'ann\u202egpj.exe',
      'Аnn',
      'ann%00',
      '<b>',
      'x'.repeat(129),
    ]) {
      expect(await authenticator.verify(await signToken(SECRET, { userId })), userId).toMatchObject({
        ok: false,
        error: { code: 'invalid_token', message: expect.stringContaining('"sub"') },
      });
    }
  });

  it('a fleet process requires JWT_ISSUER and JWT_AUDIENCE', () => {
    expect(() => fleetAuthSettingsFromEnv({ JWT_SECRET_KEY: SECRET })).toThrow(/JWT_ISSUER and JWT_AUDIENCE/);
    expect(() => fleetAuthSettingsFromEnv({ JWT_SECRET_KEY: SECRET, JWT_ISSUER: 'chat' })).toThrow();
    expect(
      fleetAuthSettingsFromEnv({ JWT_SECRET_KEY: SECRET, JWT_ISSUER: 'chat', JWT_AUDIENCE: 'chat' }),
    ).toMatchObject({ issuer: 'chat', audience: 'chat' });
  });

  it('refuses to start on an HS256 secret shorter than 32 bytes', () => {
    expect(() => createAuthenticator({ secret: 'short-secret' })).toThrow(/at least 32 bytes/);
  });
});

describe('claimedSubject', () => {
  it("reads the `sub` of a token whose signature does not hold, and nothing from what is not a token's", async () => {
    expect(claimedSubject(await signToken(`${SECRET}-other`, { userId: 'ann', ttlSeconds: -60 }))).toBe(
      'ann',
    );
    expect(claimedSubject('not-a-token')).toBeNull();
    const withoutSubject = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    expect(claimedSubject(withoutSubject)).toBeNull();
    const oddSubject = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('a b')
      .sign(new TextEncoder().encode(SECRET));
    expect(claimedSubject(oddSubject)).toBeNull();
  });
});
