import { ChatClient, type ChatMessage } from '@chat/client';
import { startEmbeddedHarness } from '@chat/e2e/embedded';
import type { Harness } from '@chat/e2e/harness';
import { startProcess, type RunningProcess } from '@chat/testkit';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';

let h: Harness;
let bot: RunningProcess;
beforeAll(async () => {
  h = await startEmbeddedHarness();
});
afterAll(async () => {
  await bot?.stop();
  await h?.stop();
});

it('runs as `pnpm start` runs it and answers a /ping in its thread, and nothing else', async () => {
  bot = startProcess('examples/ping-bot/src/main.ts', {
    CHAT_URL: h.wsUrl,
    CHAT_TOKEN: await h.token('ping-bot'),
    CHAT_ROOMS: 'general',
  });
  await expect.poll(() => bot.output(), { timeout: 15_000 }).toContain('bot listening in general');

  const alice = new ChatClient({ url: h.wsUrl, token: await h.token('alice'), WebSocket });
  const seen: ChatMessage[] = [];
  alice.on('message', (message) => seen.push(message));
  await alice.connect();
  await alice.join('general');
  await alice.send('general', 'hello bot');
  const ping = await alice.send('general', '/ping');
  await expect
    .poll(() => seen.filter((m) => m.sender_id === 'ping-bot'), { timeout: 10_000 })
    .toHaveLength(1);
  const [pong] = seen.filter((m) => m.sender_id === 'ping-bot');
  expect(pong).toMatchObject({ content: 'pong', thread_id: ping.message_id });
  alice.close();
});
