// An app of a user of @chat/client, installed from its tarball into a project of its own: plain
// Node, no TypeScript, no workspace. It prints one JSON line of what it saw.
import { ChatClient } from '@chat/client';
import WebSocket from 'ws';

const { CHAT_URL: url, ALICE_TOKEN, BOB_TOKEN } = process.env;
const room = 'general';

/** `ws` sockets whose live one the app can cut, as a network would. */
const sockets = [];
class CuttableWebSocket extends WebSocket {
  constructor(address) {
    super(address);
    sockets.push(this);
  }
}

const alice = new ChatClient({
  url,
  token: ALICE_TOKEN,
  WebSocket: CuttableWebSocket,
  backoff: { initialMs: 50 },
});
const bob = new ChatClient({ url, token: BOB_TOKEN, WebSocket });
const received = [];
alice.on('message', (m) => received.push({ seq: m.seq, content: m.content }));
const waitFor = (count) =>
  new Promise((resolve) => {
    const check = setInterval(() => received.length >= count && (clearInterval(check), resolve()), 20);
  });
const reopened = () =>
  new Promise((resolve) => {
    const stop = alice.on('state', (state) => state === 'open' && (stop(), resolve()));
  });

await Promise.all([alice.connect(), bob.connect()]);
await Promise.all([alice.join(room), bob.join(room)]);
await bob.send(room, 'one');
await waitFor(1);

// Offline, alice misses two messages; once back, she resumes from the last seq she saw. Her
// reconnect may be done before bob's sends are: the wait for it starts before the cut.
const back = reopened();
sockets.at(-1).terminate();
await bob.send(room, 'two');
await bob.send(room, 'three');
await back;
await waitFor(3);
const ack = await alice.send(room, 'back');
await waitFor(4);

alice.close();
bob.close();
process.stdout.write(`${JSON.stringify({ received, ack_seq: ack.seq, connections: sockets.length })}\n`);
