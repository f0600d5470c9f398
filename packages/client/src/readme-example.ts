import { ChatClient } from '@chat/client';
import WebSocket from 'ws'; // Node 20 has no global WebSocket; in a browser, leave this out.

export async function sayHello(url: string, getToken: () => Promise<string>, show: (line: string) => void) {
  const client = new ChatClient({ url, token: getToken, WebSocket });
  client.on('state', (state) => show(`connection ${state}`));
  client.on('message', (m) => show(`${m.room_id} #${m.seq} ${m.sender_id}: ${m.content}`));
  client.on('error', (error) => show(`refused: ${error.code}`));

  await client.connect();
  await client.join('general'); // re-joined after every reconnect, resuming after the last seq seen
  const ack = await client.send('general', 'Hello!'); // kept and retried until stored, exactly once
  show(`stored as #${ack.seq}`);
  client.close();
}
