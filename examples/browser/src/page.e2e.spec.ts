import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ChatClient, type ChatMessage } from '@chat/client';
import { startEmbeddedHarness } from '@chat/e2e/embedded';
import type { Harness } from '@chat/e2e/harness';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildPage } from '../build';
import { servePage } from '../serve';
import type { startChat } from './chat-page';

/**
 * No browser runs here: the test builds the page, fetches it and its script from the example's
 * server, and runs that very script in Node with a global WebSocket, as a browser provides one.
 */
let h: Harness;
let server: Server;
const scratch = mkdtempSync(join(tmpdir(), 'chat-page-'));
beforeAll(async () => {
  h = await startEmbeddedHarness();
  await buildPage();
  server = await servePage(0);
});
afterAll(async () => {
  server?.close();
  await h?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

it('serves the page, whose script chats with the browser’s WebSocket', async () => {
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const page = await fetch(`${origin}/`);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain('<script type="module" src="./app.js"></script>');
  const script = await (await fetch(`${origin}/app.js`)).text();
  expect(script.length).toBeLessThan(30_000);

  // Loaded from a file, as a browser loads it from the server: with its source map beside it.
  const file = join(scratch, 'app.js');
  writeFileSync(file, script);
  writeFileSync(join(scratch, 'app.js.map'), await (await fetch(`${origin}/app.js.map`)).text());
  writeFileSync(join(scratch, 'package.json'), '{ "type": "module" }');
  Object.assign(globalThis, { WebSocket });
  const app = (await import(pathToFileURL(file).href)) as { startChat: typeof startChat };

  const shown: string[] = [];
  const states: string[] = [];
  const chat = await app.startChat(h.wsUrl, await h.token('alice'), 'general', {
    state: (state) => states.push(state),
    message: (m) => shown.push(`${m.sender_id}: ${m.content}`),
    typing: () => undefined,
  });
  const bob = new ChatClient({ url: h.wsUrl, token: await h.token('bob'), WebSocket });
  const atBob: ChatMessage[] = [];
  bob.on('message', (m) => atBob.push(m));
  await bob.connect();
  await bob.join('general');
  await bob.send('general', 'hello page');
  await chat.send('hello bob');
  await expect.poll(() => shown, { timeout: 10_000 }).toEqual(['bob: hello page', 'alice: hello bob']);
  await expect.poll(() => atBob.map((m) => m.content), { timeout: 10_000 }).toContain('hello bob');
  expect(states).toContain('open');
  chat.client.close();
  bob.close();
});
