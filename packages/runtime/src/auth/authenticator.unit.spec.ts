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
});
