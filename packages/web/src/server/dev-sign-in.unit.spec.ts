import {
  createAuthenticator,
  createHttpApp,
  createLogger,
  DEV_JWT_SECRET,
  type HttpApp,
} from '@chat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_SIGN_IN_ROUTE, registerDevSignIn } from './dev-sign-in';

describe('the development sign-in', () => {
  const authenticator = createAuthenticator({
    secret: DEV_JWT_SECRET,
    issuer: 'chat-platform',
    audience: 'chat-platform',
  });
  let http: HttpApp;

  beforeAll(async () => {
    http = await createHttpApp({
      title: 'sign-in spec',
      logger: createLogger('sign-in-spec', 'silent'),
      authenticator,
    });
    registerDevSignIn(http);
    await http.ready();
  });
  afterAll(() => http.close());

  const signIn = (user_id: unknown) =>
    http.inject({ method: 'POST', url: DEV_SIGN_IN_ROUTE, payload: { user_id } });

  it('says it is there, without a token', async () => {
    expect((await http.inject({ url: DEV_SIGN_IN_ROUTE })).json()).toEqual({
      available: true,
      secret: 'development',
    });
  });

  it('mints a token for the typed user that the platform accepts', async () => {
    const answer = await signIn('alice@example.org');
    expect(answer.statusCode).toBe(200);
    const verified = await authenticator.verify(answer.json<{ token: string }>().token);
    expect(verified).toMatchObject({ ok: true, value: { userId: 'alice@example.org', isAdmin: false } });
  });

  it('refuses a name no token may carry, and the platform’s own', async () => {
    for (const name of ['', 'with space', 'a/b', 'system', 42, 'x'.repeat(129)]) {
      const answer = await signIn(name);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'invalid_request' });
    }
  });
});
