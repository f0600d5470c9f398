import { ChatClient, type ChatMessage } from '@chat/client';
import WebSocket from 'ws';

export interface PingBotOptions {
  url: string;
  token: string;
  rooms: string[];
}

/** Answers every `/ping` in its rooms with `pong`, in the thread of the ping. */
export const startPingBot = async ({ url, token, rooms }: PingBotOptions): Promise<ChatClient> => {
  const client = new ChatClient({ url, token, WebSocket });
  client.on('message', (message: ChatMessage) => {
    if (message.sender_id === client.userId || message.content.trim() !== '/ping') return;
    // Messages are delivered once each, so the bot answers each ping once, also after a reconnect.
    client.reply(message.room_id, message.message_id, 'pong').catch((error: Error) => {
      process.stderr.write(`could not answer in ${message.room_id}: ${error.message}\n`);
    });
  });
  client.on('state', (state) => process.stdout.write(`bot ${state}\n`));
  await client.connect();
  await Promise.all(rooms.map((room) => client.join(room)));
  process.stdout.write(`bot listening in ${rooms.join(', ')}\n`);
  return client;
};
