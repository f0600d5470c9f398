import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, signToken } from '../auth/authenticator';
import { createHttpApp, registerOperationalRoutes, type HttpApp } from './app';

const SECRET = 'unit-secret-0123456789abcdef0123456789';

describe('REST authentication', () => {
  let app: HttpApp;

  beforeAll(async () => {
    app = await createHttpApp({
      title: 'test',
      logger: pino({ level: 'silent' }),
      authenticator: createAuthenticator({ secret: SECRET }),
    });
    // Answers whoever gets through: the check is the hook's alone, as on routes that read no principal.
    app.get('/api/presence/users/:user_id', async (request) => ({
      viewer: request.principal?.userId ?? null,
    }));
    registerOperationalRoutes(app, { registry: new Registry(), notReady: () => [] });
    await app.ready();
  });
  afterAll(() => app.close());

  const get = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('asks every route for a token, whatever way its path is spelt', async () => {
    for (const url of ['/api/presence/users/ann', '/%61pi/presence/users/ann', '/api/presence/users/%61nn']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(401);
      expect(response.json(), url).toMatchObject({ code: 'unauthenticated' });
    }
    const allowed = await get('/%61pi/presence/users/ann', await signToken(SECRET, { userId: 'bob' }));
    expect(allowed.json()).toEqual({ viewer: 'bob' });
  });

  it('tells nothing of unknown paths to a caller without a token', async () => {
    expect((await get('/api/nothing-here')).statusCode).toBe(401);
    expect((await get('/anything')).statusCode).toBe(401);
  });

  it('serves the routes marked anonymous without one', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
    expect((await get('/readyz')).statusCode).toBe(200);
  });
});
