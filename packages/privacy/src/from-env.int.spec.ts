import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedKeyPath, keyStoreUrlFromEnv, requireKek } from './from-env';

const logger = pino({ level: 'silent' });

describe('the KEK from the environment', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'privacy-env-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is required by a fleet process, which never makes one up', () => {
    expect(() => requireKek({}, { logger })).toThrow(
      expect.objectContaining({
        code: 'missing_encryption_key',
        message: expect.stringMatching(/ENCRYPTION_KEY is required/),
      }),
    );
  });

  it('refuses a malformed value even where one could be generated', () => {
    expect(() => requireKek({ ENCRYPTION_KEY: 'secret' }, { logger, generateUnder: dataDir })).toThrow(
      expect.objectContaining({ code: 'invalid_encryption_key' }),
    );
  });

  it('is generated once under DATA_DIR for the embedded run, readable by its owner only, and reused', () => {
    const first = requireKek({}, { logger, generateUnder: dataDir });
    const second = requireKek({}, { logger, generateUnder: dataDir });
    expect(second.id).toBe(first.id);
    expect(statSync(generatedKeyPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(generatedKeyPath(dataDir), 'utf8')).not.toContain(first.id);
    // A key given wins over the generated one.
    const given = requireKek({ ENCRYPTION_KEY: 'ab'.repeat(32) }, { logger, generateUnder: dataDir });
    expect(given.id).not.toBe(first.id);
  });
});

describe('where the key store is', () => {
  it('is KEY_STORE_URL, else database chat_keys on the MongoDB server, else nowhere (SQLite)', () => {
    expect(
      keyStoreUrlFromEnv({ KEY_STORE_URL: 'mongodb://keys:27017/k', MONGODB_URL: 'mongodb://m/x' }),
    ).toBe('mongodb://keys:27017/k');
    expect(keyStoreUrlFromEnv({ MONGODB_URL: 'mongodb://db:27017/chat_message?w=majority' })).toBe(
      'mongodb://db:27017/chat_keys?w=majority',
    );
    expect(keyStoreUrlFromEnv({ MONGODB_URL: '' })).toBeUndefined();
  });
});
