import { describe, expect, it } from 'vitest';
import { mongodbUrlFromEnv } from './read-side-from-env';

describe("a service's MongoDB URL", () => {
  it('is MONGODB_URL, its database replaced by MONGODB_DATABASE when set', () => {
    expect(mongodbUrlFromEnv({})).toBeUndefined();
    expect(mongodbUrlFromEnv({ MONGODB_URL: 'mongodb://db:27017/chat' })).toBe('mongodb://db:27017/chat');
    expect(
      mongodbUrlFromEnv({
        MONGODB_URL: 'mongodb://u:p@db:27017/chat?maxPoolSize=4',
        MONGODB_DATABASE: 'chat_media',
      }),
    ).toBe('mongodb://u:p@db:27017/chat_media?maxPoolSize=4');
  });
});
