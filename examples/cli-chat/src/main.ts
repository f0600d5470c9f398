import { createInterface } from 'node:readline';
import { ChatClient, ChatError } from '@chat/client';
import WebSocket from 'ws';

/**
 * A terminal chat: lines are sent to the current room; `/join ROOM` joins a room and makes it
 * current (the last seq seen is kept, so a re-join resumes where it left off), `/away` and
 * `/online` set the status others see, `/quit` (or end of input) leaves.
 */
const token = process.env.CHAT_TOKEN;
if (!token) {
  process.stderr.write('Set CHAT_TOKEN to your token, e.g. CHAT_TOKEN=$(pnpm -s token alice)\n');
  process.exit(2);
}
const print = (line: string): void => void process.stdout.write(`${line}\n`);
const client = new ChatClient({ url: process.env.CHAT_URL ?? 'ws://localhost:8000/ws', token, WebSocket });
let room: string | null = null;

client.on('state', (state) => print(`* ${state}`));
client.on('message', (m) => print(`[${m.room_id} #${m.seq}] ${m.sender_id}: ${m.content}`));
client.on('typing', (t) => t.state === 'start' && print(`* ${t.user_id} is typing in ${t.room_id}`));
client.on('presence', (p) => print(`* ${p.user_id} is ${p.status}`));
client.on('error', (error) => print(`! ${error.code}: ${error.message}`));

const handle = async (line: string): Promise<void> => {
  const [command, argument] = line.trim().split(/\s+/, 2);
  if (command === '/join' && argument) {
    const { last_seq } = await client.join(argument);
    room = argument;
    return print(`* joined ${room} (newest #${last_seq})`);
  }
  if (command === '/away' || command === '/online')
    return client.setPresence(command === '/away' ? 'away' : 'online');
  if (!line.trim()) return;
  if (!room) return print('! /join a room first');
  client.typing(room);
  const ack = await client.send(room, line);
  print(`* sent #${ack.seq}`);
};

await client.connect();
print(`* connected as ${client.userId}`);
const input = createInterface({ input: process.stdin });
for await (const line of input) {
  if (line.trim() === '/quit') break;
  try {
    await handle(line);
  } catch (error) {
    print(error instanceof ChatError ? `! ${error.code}: ${error.message}` : `! ${String(error)}`);
  }
}
input.close();
client.close();
