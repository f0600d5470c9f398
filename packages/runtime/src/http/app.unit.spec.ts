import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, signToken } from '../auth/authenticator';
import {
  createHttpApp,
  HttpRejection,
  metricsAccessFromEnv,
  registerOperationalRoutes,
  type HttpApp,
} from './app';

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
    registerOperationalRoutes(app, {
      registry: new Registry(),
      notReady: () => [],
      metrics: { kind: 'public' },
    });
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

describe('REST refusals', () => {
  it('say when a refusal that ends by itself ends: Retry-After in seconds and retry_after_ms', async () => {
    const app = await createHttpApp({
      title: 'test',
      logger: pino({ level: 'silent' }),
      authenticator: createAuthenticator({ secret: SECRET }),
    });
    app.post('/api/limited', { config: { anonymous: true } }, async () => {
      throw new HttpRejection('rate_limited', 'Slow down.', 1_250.4);
    });
    app.post('/api/missing', { config: { anonymous: true } }, async () => {
      throw new HttpRejection('room_not_found', 'Room not found.');
    });
    const limited = await app.inject({ method: 'POST', url: '/api/limited' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.json()).toEqual({ code: 'rate_limited', message: 'Slow down.', retry_after_ms: 1_251 });
    const missing = await app.inject({ method: 'POST', url: '/api/missing' });
    expect(missing.headers['retry-after']).toBeUndefined();
    expect(missing.json()).toEqual({ code: 'room_not_found', message: 'Room not found.' });
    await app.close();
  });
});

describe('who may read /metrics', () => {
  const appWith = async (env: NodeJS.ProcessEnv, embedded: boolean) => {
    const app = await createHttpApp({
      title: 'test',
      logger: pino({ level: 'silent' }),
      authenticator: createAuthenticator({ secret: SECRET }),
    });
    registerOperationalRoutes(app, {
      registry: new Registry(),
      notReady: () => [],
      metrics: metricsAccessFromEnv(env, embedded),
    });
    await app.ready();
    return app;
  };
  const status = async (app: HttpApp, authorization?: string) =>
    (await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} }))
      .statusCode;

  it('a fleet process serves them to the holders of METRICS_TOKEN only', async () => {
    const app = await appWith({ METRICS_TOKEN: 'scrape-token' }, false);
    expect(await status(app)).toBe(401);
    expect(await status(app, 'Bearer wrong')).toBe(401);
    expect(await status(app, `Bearer ${await signToken(SECRET, { userId: 'ann' })}`)).toBe(401);
    expect(await status(app, 'Bearer scrape-token')).toBe(200);
    await app.close();
  });

  it('a fleet process without METRICS_TOKEN serves none', async () => {
    const app = await appWith({}, false);
    expect(await status(app, `Bearer ${await signToken(SECRET, { userId: 'ann' })}`)).toBe(404);
    expect(await status(app)).toBe(401);
    await app.close();
  });

  it('the embedded run serves them, behind METRICS_TOKEN when set', async () => {
    const open = await appWith({}, true);
    expect(await status(open)).toBe(200);
    await open.close();
    const guarded = await appWith({ METRICS_TOKEN: 'scrape-token' }, true);
    expect(await status(guarded)).toBe(401);
    await guarded.close();
  });
});
