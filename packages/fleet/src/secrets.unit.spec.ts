import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { DEV_ENCRYPTION_KEY, devSecretsFor } from './secrets';

describe('the secrets of the fleet, as the embedded run takes them', () => {
  it('falls back to the public dev JWT secret, issuer and audience, loudly, when unset', () => {
    const { env, warnings } = devSecretsFor({});
    expect(env).toEqual({
      JWT_SECRET_KEY: DEV_JWT_SECRET,
      ENCRYPTION_KEY: DEV_ENCRYPTION_KEY,
      JWT_ISSUER: DEV_JWT_ISSUER,
      JWT_AUDIENCE: DEV_JWT_AUDIENCE,
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^!!! JWT_SECRET_KEY is not set: .*PUBLIC DEV value/),
      expect.stringMatching(/^!!! ENCRYPTION_KEY is not set: .*PUBLIC DEV value/),
      expect.stringMatching(/^!!! JWT_ISSUER is not set: /),
      expect.stringMatching(/^!!! JWT_AUDIENCE is not set: /),
    ]);
  });

  it('keeps what is configured', () => {
    const party = { JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'chat', ENCRYPTION_KEY: 'k'.repeat(44) };
    expect(devSecretsFor({ JWT_SECRET_KEY: 'a'.repeat(32), ...party })).toEqual({ env: {}, warnings: [] });
    expect(devSecretsFor({ JWKS_URL: 'https://id.example/jwks', ...party })).toEqual({
      env: {},
      warnings: [],
    });
  });
});
