import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAuthenticator,
  createHttpApp,
  createLogger,
  DEV_JWT_SECRET,
  type HttpApp,
} from '@chat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPageRoutes } from './page-routes';

const appServing = async (pageDir: string): Promise<HttpApp> => {
  const http = await createHttpApp({
    title: 'page spec',
    logger: createLogger('page-spec', 'silent'),
    authenticator: createAuthenticator({ secret: DEV_JWT_SECRET }),
  });
  registerPageRoutes(http, pageDir);
  await http.ready();
  return http;
};

describe('the page routes', () => {
  const pageDir = mkdtempSync(join(tmpdir(), 'chat-page-'));
  let http: HttpApp;

  beforeAll(async () => {
    mkdirSync(join(pageDir, 'assets'));
    writeFileSync(join(pageDir, 'index.html'), '<!doctype html><title>Chat</title>');
    writeFileSync(join(pageDir, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(pageDir, 'secret.txt'), 'not an asset');
    http = await appServing(pageDir);
  });
  afterAll(async () => {
    await http.close();
    rmSync(pageDir, { recursive: true, force: true });
  });

  it('serve the page at / without a token, with a content security policy', async () => {
    const page = await http.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).toContain('<title>Chat</title>');
  });

  it('serve only the files the build wrote under /assets/', async () => {
    expect((await http.inject({ url: '/assets/app.js' })).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await http.inject({ url: '/assets/other.js' })).statusCode).toBe(404);
    expect((await http.inject({ url: '/assets/..%2Fsecret.txt' })).statusCode).toBe(404);
    expect((await http.inject({ url: '/assets/..%2Findex.html' })).statusCode).toBe(404);
  });

  it('say how to build the page when it is not built', async () => {
    const unbuilt = await appServing(join(pageDir, 'missing'));
    try {
      const page = await unbuilt.inject({ url: '/' });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('pnpm --filter @chat/web build');
    } finally {
      await unbuilt.close();
    }
  });
});
