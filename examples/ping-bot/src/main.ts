import { startPingBot } from './bot';

const token = process.env.CHAT_TOKEN;
if (!token) {
  process.stderr.write('Set CHAT_TOKEN to the bot user’s token, e.g. CHAT_TOKEN=$(pnpm -s token ping-bot)\n');
  process.exit(2);
}
const bot = await startPingBot({
  url: process.env.CHAT_URL ?? 'ws://localhost:8000/ws',
  token,
  rooms: (process.env.CHAT_ROOMS ?? 'general').split(','),
});
process.once('SIGINT', () => bot.close());
process.once('SIGTERM', () => bot.close());
