import { parseArgs } from 'node:util';
import { runLoad } from './load';

/**
 * `pnpm start -- --clients 50 --messages 20`: a bounded load run against a platform on this
 * machine. It signs its users' tokens with JWT_SECRET_KEY, so point it only at a platform you run.
 */
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.CHAT_URL ?? 'ws://localhost:8000/ws' },
    api: { type: 'string' },
    clients: { type: 'string', default: '20' },
    messages: { type: 'string', default: '10' },
    'deadline-seconds': { type: 'string', default: '60' },
  },
});
const secret = process.env.JWT_SECRET_KEY;
if (!secret) {
  process.stderr.write('Set JWT_SECRET_KEY to the platform’s secret: the run signs its users’ tokens.\n');
  process.exit(2);
}
const report = await runLoad({
  url: values.url,
  secret,
  // The REST API beside the WebSocket endpoint, as `pnpm start` and the edge serve them.
  apiUrl: values.api ?? new URL(values.url.replace(/^ws/, 'http')).origin,
  clients: Number(values.clients),
  messagesPerClient: Number(values.messages),
  deadlineMs: Number(values['deadline-seconds']) * 1000,
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exitCode = report.completed ? 0 : 1;
