import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASYNCAPI_PATH, renderAsyncApi } from './asyncapi-file';

describe('AsyncAPI document', () => {
  it('is committed exactly as generated from the contracts (run `pnpm docs:asyncapi`)', () => {
    expect(readFileSync(ASYNCAPI_PATH, 'utf8')).toBe(renderAsyncApi());
  });

  it('documents every frame of the specification', () => {
    const doc = JSON.parse(renderAsyncApi());
    const names = Object.values(doc.channels.ws.messages).map((m) => (m as { name: string }).name);
    for (const frame of [
      'authenticate',
      'send_message',
      'join_room',
      'presence_update',
      'share_file',
      'ack',
      'error',
    ]) {
      expect(names).toContain(frame);
    }
  });
});
