import { DEV_JWT_SECRET } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { devSecretsFor } from './secrets';

describe('the secrets of the fleet, as the embedded run takes them', () => {
  it('falls back to the public dev JWT secret, loudly, when neither JWT_SECRET_KEY nor JWKS_URL is set', () => {
    const { env, warnings } = devSecretsFor({});
    expect(env).toEqual({ JWT_SECRET_KEY: DEV_JWT_SECRET });
    expect(warnings).toEqual([expect.stringMatching(/^!!! JWT_SECRET_KEY is not set: .*PUBLIC DEV value/)]);
  });

  it('keeps what is configured', () => {
    expect(devSecretsFor({ JWT_SECRET_KEY: 'a'.repeat(32) })).toEqual({ env: {}, warnings: [] });
    expect(devSecretsFor({ JWKS_URL: 'https://id.example/jwks' })).toEqual({ env: {}, warnings: [] });
  });
});
