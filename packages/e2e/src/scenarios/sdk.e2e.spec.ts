import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import {
  ChatClient,
  ChatError,
  type Ack,
  type ChatMessage,
  type ConnectionState,
  type WebSocketConstructor,
} from '@chat/client';
import { sayHello } from '@chat/client/readme-example';
import { typingPresenceAndFiles } from '@chat/client/readme-tour';
import type { Harness } from '../harness';
import { scenario, startHarness } from '../target';

/** `ws` sockets a test can reach: to cut the live one, and to count the frames each received. */
const tappedWebSocket = () => {
  const sockets: WebSocket[] = [];
  const received: Array<{ type: string; client_msg_id?: string | null }> = [];
  class Tapped extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      this.on('message', (data) => received.push(JSON.parse(data.toString())));
    }
  }
  const live = () => sockets.at(-1)!;
  return { WebSocket: Tapped, sockets, received, live };
};

/** A 1×1 PNG: the media service checks that a file's bytes are what its type says. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const messagesOf = (client: ChatClient, roomId: string) => {
  const seen: ChatMessage[] = [];
  client.on('message', (message) => {
    if (message.room_id === roomId) seen.push(message);
  });
  return seen;
};

const reaches = (client: ChatClient, wanted: ConnectionState) =>
  new Promise<void>((resolve) => {
    const stop = client.on('state', (state) => {
      if (state !== wanted) return;
      stop();
      resolve();
    });
  });

scenario('ChatClient against the platform', () => {
  let h: Harness;
  const clients: ChatClient[] = [];

  const clientFor = (userId: string, WebSocketClass: WebSocketConstructor = WebSocket) => {
    const client = new ChatClient({
      url: h.wsUrl,
      token: () => h.token(userId),
      WebSocket: WebSocketClass,
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    clients.push(client);
    return client;
  };

  const createRoom = async (ownerId: string, members: string[], isPrivate = false) => {
    const created = await h.api(ownerId, 'POST', '/api/rooms', {
      name: 'client-e2e',
      private: isPrivate,
      members,
    });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };

  beforeAll(async () => {
    h = await startHarness({ CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '1000' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => h?.stop());

  it('lets two clients exchange messages', async () => {
    const roomId = await createRoom('ann', ['ben']);
    const [ann, ben] = [clientFor('ann'), clientFor('ben')];
    await Promise.all([ann.connect(), ben.connect()]);
    await Promise.all([ann.join(roomId), ben.join(roomId)]);
    const atAnn = messagesOf(ann, roomId);
    const atBen = messagesOf(ben, roomId);

    const hi = await ann.send(roomId, 'hi ben');
    const hello = await ben.send(roomId, 'hello ann');
    await vi.waitFor(() => expect(atBen).toHaveLength(2));
    expect(atBen.map((m) => [m.seq, m.sender_id, m.content])).toEqual([
      [hi.seq, 'ann', 'hi ben'],
      [hello.seq, 'ben', 'hello ann'],
    ]);
    await vi.waitFor(() => expect(atAnn).toEqual(atBen));
  });

  it('after its connection is cut, a client resumes with every message exactly once, in order', async () => {
    const roomId = await createRoom('writer', ['reader']);
    const network = tappedWebSocket();
    const [writer, reader] = [clientFor('writer'), clientFor('reader', network.WebSocket)];
    await Promise.all([writer.connect(), reader.connect()]);
    await Promise.all([writer.join(roomId), reader.join(roomId)]);
    const atReader = messagesOf(reader, roomId);
    const send = (label: string, count: number) =>
      Array.from({ length: count }, (_, i) => writer.send(roomId, `${label} ${i + 1}`));

    // A burst in flight when the connection dies: some of it reaches the reader, some does not.
    const acks: Array<Promise<Ack>> = send('before', 10);
    await sleep(5);
    const cut = reaches(reader, 'reconnecting');
    network.live().terminate();
    await cut;
    const reopened = reaches(reader, 'open');
    acks.push(...send('while away', 10));
    await Promise.all(acks);
    await reopened;
    acks.push(...send('after', 10));

    const stored = (await Promise.all(acks)).sort((a, b) => a.seq - b.seq);
    await vi.waitFor(() => expect(atReader.length).toBeGreaterThanOrEqual(30), { timeout: 10_000 });
    await sleep(200); // a duplicate, had there been one, would have arrived by now
    expect(atReader.map((m) => m.message_id)).toEqual(stored.map((ack) => ack.message_id));
    expect(atReader.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => stored[0]!.seq + i));
    expect(network.sockets).toHaveLength(2);
  });

  it('delivers a send made while disconnected after the reconnect, with one ack and one stored message', async () => {
    const roomId = await createRoom('sam', []);
    const network = tappedWebSocket();
    const sam = clientFor('sam', network.WebSocket);
    await sam.connect();
    await sam.join(roomId);
    const cut = reaches(sam, 'reconnecting');
    network.live().terminate();
    await cut;

    const ack = await sam.send(roomId, 'sent while offline');
    expect(network.sockets).toHaveLength(2);
    await sleep(200);
    const acks = network.received.filter((f) => f.type === 'ack' && f.client_msg_id === ack.client_msg_id);
    expect(acks).toHaveLength(1);
    await vi.waitFor(async () => {
      const history = await h.api('sam', 'GET', `/api/rooms/${roomId}/messages`);
      expect(history.body.messages.map((m: ChatMessage) => [m.message_id, m.content])).toEqual([
        [ack.message_id, 'sent while offline'],
      ]);
    });
  });

  it('rejects a send and a join refused for good with a typed ChatError', async () => {
    const roomId = await createRoom('owner', [], true);
    const eve = clientFor('eve');
    await eve.connect();
    const refusal = await eve.send(roomId, 'let me in').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ChatError);
    expect(refusal).toMatchObject({ code: 'room_not_found' });
    await expect(eve.join(roomId)).rejects.toMatchObject({ code: 'room_not_found', roomId });
    expect(eve.state).toBe('open');
  });

  it('rejects a message too large for the server and delivers the rest', async () => {
    const roomId = await createRoom('max', []);
    const max = clientFor('max');
    await max.connect();
    await max.join(roomId);
    const atMax = messagesOf(max, roomId);
    const small = max.send(roomId, 'small');
    const huge = max.send(roomId, 'x'.repeat(40_000));
    await expect(huge).rejects.toMatchObject({ code: 'frame_too_large' });
    await expect(small).resolves.toMatchObject({ room_id: roomId });
    await vi.waitFor(() => expect(atMax.map((m) => m.content)).toEqual(['small']));
  });

  it('keeps a quiet connection open with heartbeats', async () => {
    const quiet = new ChatClient({
      url: h.wsUrl,
      token: await h.token('quiet'),
      WebSocket,
      heartbeatMs: 100,
    });
    clients.push(quiet);
    const states: ConnectionState[] = [];
    quiet.on('state', (state) => states.push(state));
    await quiet.connect();
    await sleep(600);
    expect(states).toEqual(['connecting', 'open']);
  });

  it('runs the README example', async () => {
    const lines: string[] = [];
    await sayHello(
      h.wsUrl,
      () => h.token('reader-of-readme'),
      (line) => lines.push(line),
    );
    expect(lines[0]).toBe('connection connecting');
    expect(lines).toContain('connection open');
    expect(lines.some((line) => /^stored as #\d+$/.test(line))).toBe(true);
    expect(lines.at(-1)).toBe('connection closed');
  });

  it('runs the README tour: typing, presence and a shared file reach another member', async () => {
    const roomId = await createRoom('tour-alice', ['tour-bob']);
    // Where files are uploaded: the edge's origin, in the fleet the media service's.
    const alice = new ChatClient({
      url: h.wsUrl,
      apiUrl: new URL(h.resolve('/api/media/uploads')).origin,
      token: () => h.token('tour-alice'),
      WebSocket,
    });
    clients.push(alice);
    const bob = clientFor('tour-bob');
    await Promise.all([alice.connect(), bob.connect()]);
    await Promise.all([alice.join(roomId), bob.join(roomId)]);
    const lines: string[] = [];
    await typingPresenceAndFiles([alice, bob], roomId, new Blob([PNG], { type: 'image/png' }), (line) =>
      lines.push(line),
    );
    await vi.waitFor(() =>
      expect(lines).toEqual(
        expect.arrayContaining([
          'tour-alice is typing',
          'tour-alice stopped typing',
          'tour-alice is away',
          'tour-alice shared photo.png',
        ]),
      ),
    );
  });

  it('rejects an upload the server refuses with its code: a file whose bytes are not its type', async () => {
    const roomId = await createRoom('uploader', []);
    const uploader = new ChatClient({
      url: h.wsUrl,
      apiUrl: new URL(h.resolve('/api/media/uploads')).origin,
      token: () => h.token('uploader'),
      WebSocket,
    });
    clients.push(uploader);
    const disguised = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(120).fill(1)]);
    await expect(
      uploader.uploadFile(roomId, { name: 'photo.png', type: 'image/png', data: disguised }),
    ).rejects.toMatchObject({ name: 'ChatError', code: 'file_type_not_allowed' });
  });
});
