import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@chat/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbedded } from './app';

/** The process environment without a token secret: the embedded run falls back to the public development secret. */
const withoutSecret = () => {
  const { JWT_SECRET_KEY: _secret, JWKS_URL: _jwks, ...env } = process.env;
  return env;
};

describe('where the embedded run listens', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-embedded-'));
  const logger = createLogger('embedded-spec', 'silent');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to listen beyond loopback with the public development secret', async () => {
    await expect(
      startEmbedded({ dataDir: join(dataDir, 'a'), port: 0, host: '0.0.0.0', env: withoutSecret(), logger }),
    ).rejects.toMatchObject({ name: 'UnsafeBindError' });
  });

  it('listens on 127.0.0.1 unless told otherwise, so the development secret stays on this machine', async () => {
    const app = await startEmbedded({ dataDir: join(dataDir, 'b'), port: 0, env: withoutSecret(), logger });
    try {
      expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);
      const external = Object.values(networkInterfaces())
        .flat()
        .find((address) => address && address.family === 'IPv4' && !address.internal);
      if (external) {
        await expect(fetch(`http://${external.address}:${app.port}/healthz`)).rejects.toThrow();
      }
    } finally {
      await app.stop();
    }
  });

  it('offers the page a development sign-in with the development secret only', async () => {
    const secret = 'a-real-secret-of-at-least-thirty-two-bytes';
    const [dev, real] = await Promise.all([
      startEmbedded({ dataDir: join(dataDir, 'c'), port: 0, env: withoutSecret(), logger }),
      startEmbedded({
        dataDir: join(dataDir, 'd'),
        port: 0,
        env: { ...withoutSecret(), JWT_SECRET_KEY: secret },
        logger,
      }),
    ]);
    const signIn = (port: number) =>
      fetch(`http://127.0.0.1:${port}/api/dev/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: 'alice' }),
      });
    try {
      const { token } = (await (await signIn(dev.port)).json()) as { token: string };
      const rooms = await fetch(`http://127.0.0.1:${dev.port}/api/rooms`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(rooms.status).toBe(200);
      expect((await signIn(real.port)).ok).toBe(false);
      expect((await fetch(`http://127.0.0.1:${real.port}/api/dev/sign-in`)).ok).toBe(false);
    } finally {
      await Promise.all([dev.stop(), real.stop()]);
    }
  });
});
