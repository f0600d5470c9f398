import { ChatClient, type ChatEvents, type WebSocketConstructor } from '@chat/client';
import type { ServerFrameOf } from '@chat/contracts';
import WebSocket from 'ws';
import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, sendAndAck, type Harness } from '../harness';
import { browserKeys, decryptPush, PushEndpoint } from '../push-endpoint';
import { scenario, startHarness } from '../target';

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

scenario('read receipts', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A private room of an owner and two members, with five messages by the owner. */
  const setUp = async () => {
    const [owner, reader, quiet] = [unique('ann'), unique('cal'), unique('ben')];
    const created = await h.api(owner, 'POST', '/api/rooms', {
      name: 'Receipts',
      private: true,
      members: [reader, quiet],
    });
    expect(created.status).toBe(201);
    const roomId = created.body.room_id as string;
    let last = 0;
    for (const content of ['one', 'two', 'three', 'four', 'five']) {
      last = (await h.api(owner, 'POST', `/api/rooms/${roomId}/messages`, { content })).body.seq;
    }
    return { owner, reader, quiet, roomId, last };
  };

  const unreadOf = async (userId: string, roomId: string) =>
    (
      (await h.api(userId, 'GET', '/api/notifications/unread')).body as { room_id: string; unread: number }[]
    ).find((count) => count.room_id === roomId);

  it('tells the room how far a member read: at most one receipt a second, never backwards', async () => {
    const { owner, reader, roomId, last } = await setUp();
    await eventually(async () => expect(await unreadOf(reader, roomId)).toMatchObject({ unread: 5 }));
    const watcher = await h.connect(owner);
    await join(watcher, roomId);
    const readerSocket = await h.connect(reader);
    const receiptsOf = (user: string) =>
      watcher.ofType('receipt').filter((frame) => frame.room_id === roomId && frame.user_id === user);

    const first = watcher.nextOfType('receipt', 10_000, (frame) => frame.user_id === reader);
    for (const seq of [2, 4, 3]) readerSocket.send({ type: 'mark_read', room_id: roomId, seq });
    expect(await first).toMatchObject({ type: 'receipt', room_id: roomId, user_id: reader, seq: 2 });
    const firstAt = Date.now();
    const newest = await watcher.nextOfType('receipt', 10_000, (frame) => frame.user_id === reader);
    // The second read came within the same second: it waited for the window to end.
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(700);
    expect(newest).toMatchObject({ user_id: reader, seq: 4, read_at: expect.any(String) });
    await sleep(1_500);
    expect(receiptsOf(reader).map((frame) => frame.seq)).toEqual([2, 4]);

    // Served to members, by user id; the reader's own unread count is cleared up to the mark.
    const listed = await h.api(owner, 'GET', `/api/rooms/${roomId}/receipts`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([{ user_id: reader, seq: 4, read_at: newest.read_at }]);
    expect(await unreadOf(reader, roomId)).toMatchObject({ unread: last - 4 });

    // A seq beyond the room's newest message is refused with its code; nothing moves.
    const refused = readerSocket.nextOfType('error', 10_000, (frame) => frame.code === 'seq_out_of_range');
    readerSocket.send({ type: 'mark_read', room_id: roomId, seq: last + 10 });
    expect(await refused).toMatchObject({ code: 'seq_out_of_range', ref: 'mark_read' });
    expect((await h.api(owner, 'GET', `/api/rooms/${roomId}/receipts`)).body).toEqual([
      { user_id: reader, seq: 4, read_at: newest.read_at },
    ]);
    expect(receiptsOf(reader).map((frame) => frame.seq)).toEqual([2, 4]);
    watcher.close();
    readerSocket.close();
  });

  it('keeps the reads of a user who turned receipts off to themselves, and still clears their unread count', async () => {
    const { owner, reader, quiet, roomId, last } = await setUp();
    expect((await h.api(quiet, 'GET', '/api/notifications/settings')).body).toEqual({ read_receipts: true });
    const off = await h.api(quiet, 'PUT', '/api/notifications/settings', { read_receipts: false });
    expect(off).toEqual({ status: 200, body: { read_receipts: false } });
    expect((await h.api(quiet, 'GET', '/api/notifications/settings')).body).toEqual({ read_receipts: false });
    expect((await h.api(quiet, 'PUT', '/api/notifications/settings', {})).status).toBe(400);

    const watcher = await h.connect(owner);
    await join(watcher, roomId);
    const quietSocket = await h.connect(quiet);
    const readerSocket = await h.connect(reader);
    quietSocket.send({ type: 'mark_read', room_id: roomId, seq: last });
    await eventually(async () => expect(await unreadOf(quiet, roomId)).toMatchObject({ unread: 0 }));
    // The reader's receipt, sent after, arrives: the quiet one's would have come before it.
    readerSocket.send({ type: 'mark_read', room_id: roomId, seq: 1 });
    await watcher.nextOfType('receipt', 10_000, (frame) => frame.user_id === reader);
    await sleep(1_200);
    expect(watcher.ofType('receipt').filter((frame) => frame.user_id === quiet)).toEqual([]);
    expect(
      ((await h.api(owner, 'GET', `/api/rooms/${roomId}/receipts`)).body as { user_id: string }[]).map(
        (receipt) => receipt.user_id,
      ),
    ).toEqual([reader]);

    // Turned on again, their next read is shown.
    await h.api(quiet, 'PUT', '/api/notifications/settings', { read_receipts: true });
    const more = await h.api(owner, 'POST', `/api/rooms/${roomId}/messages`, { content: 'six' });
    await eventually(async () => expect(await unreadOf(quiet, roomId)).toMatchObject({ unread: 1 }));
    const shown = watcher.nextOfType('receipt', 10_000, (frame) => frame.user_id === quiet);
    quietSocket.send({ type: 'mark_read', room_id: roomId, seq: more.body.seq });
    expect(await shown).toMatchObject({ user_id: quiet, seq: more.body.seq });
    watcher.close();
    quietSocket.close();
    readerSocket.close();
  });

  it('marks reads and hears receipts and unread counts through the SDK', async () => {
    const { owner, reader, roomId, last } = await setUp();
    const clientOf = (userId: string) =>
      new ChatClient({
        url: h.wsUrl,
        token: () => h.token(userId),
        WebSocket: WebSocket as unknown as WebSocketConstructor,
      });
    const [watcher, readerClient] = [clientOf(owner), clientOf(reader)];
    const receipts: ChatEvents['receipt'][] = [];
    const unread: ChatEvents['unread'][] = [];
    watcher.on('receipt', (receipt) => receipts.push(receipt));
    readerClient.on('unread', (counts) => unread.push(counts));
    await Promise.all([watcher.connect(), readerClient.connect()]);
    await watcher.join(roomId);
    await eventually(async () => expect(await unreadOf(reader, roomId)).toMatchObject({ unread: 5 }));
    readerClient.markRead(roomId, last);
    await eventually(() =>
      expect(receipts).toEqual([
        { room_id: roomId, user_id: reader, seq: last, read_at: expect.any(String) },
      ]),
    );
    await eventually(() =>
      expect(unread.flatMap(({ rooms }) => rooms)).toContainEqual({
        room_id: roomId,
        unread: 0,
        last_seq: last,
      }),
    );
    watcher.close();
    readerClient.close();
  });

  it('refuses the receipts of a room to non-members without revealing a private room', async () => {
    const { owner, roomId } = await setUp();
    const outsider = unique('eve');
    const secret = await h.api(outsider, 'GET', `/api/rooms/${roomId}/receipts`);
    expect(secret).toMatchObject({ status: 404, body: { code: 'room_not_found' } });
    const open = await h.api(owner, 'POST', '/api/rooms', { name: 'Open', private: false });
    const refused = await h.api(outsider, 'GET', `/api/rooms/${open.body.room_id}/receipts`);
    expect(refused).toMatchObject({ status: 403, body: { code: 'not_member' } });
    expect((await h.api(owner, 'GET', `/api/rooms/${open.body.room_id}/receipts`)).body).toEqual([]);

    // A non-member's mark_read shows nothing to the room.
    const watcher = await h.connect(owner);
    await join(watcher, roomId);
    const outsiderSocket = await h.connect(outsider);
    outsiderSocket.send({ type: 'mark_read', room_id: roomId, seq: 1 });
    await sleep(1_200);
    expect(watcher.ofType('receipt')).toEqual([] as ServerFrameOf<'receipt'>[]);
    watcher.close();
    outsiderSocket.close();
  });
});

scenario('mentions', () => {
  let h: Harness;
  let push: PushEndpoint;

  beforeAll(async () => {
    push = await PushEndpoint.start();
    h = await startHarness({
      NOTIFICATION_RETRY_BASE_MS: '50',
      NOTIFICATION_MAX_ATTEMPTS: '3',
      CHAT_NOTIFICATION__ALLOWED_HOSTS: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await h?.stop();
    await push?.stop();
  });

  const roomOf = async (owner: string, members: string[]) => {
    const created = await h.api(owner, 'POST', '/api/rooms', { name: 'Mentions', private: true, members });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };

  it('names the mentioned members in the message frame and in history, members only', async () => {
    const [ann, bob, cal] = [unique('ann'), unique('bob'), unique('cal')];
    const roomId = await roomOf(ann, [bob, cal]);
    const socket = await h.connect(cal);
    await join(socket, roomId);
    const sender = await h.connect(ann);
    const frame = socket.nextOfType('message', 10_000, (each) => each.room_id === roomId);
    const content = `hey @${bob} and @stranger, @${cal}. @${bob}!`;
    await sendAndAck(sender, roomId, content);
    expect(await frame).toMatchObject({ content, mentions: [bob, cal] });
    const plain = socket.nextOfType('message', 10_000, (each) => each.content === 'no one');
    await sendAndAck(sender, roomId, 'no one');
    expect(await plain).not.toHaveProperty('mentions');
    // Sent over the WebSocket, so history shows them once the read model applied them.
    await eventually(async () => {
      const history = await h.api(bob, 'GET', `/api/rooms/${roomId}/messages`);
      expect(history.body.messages.map((message: { mentions?: string[] }) => message.mentions)).toEqual([
        [bob, cal],
        undefined,
      ]);
    });
    socket.close();
    sender.close();
  });

  it('pushes a mention to an offline member who muted the room, and nothing else of that room', async () => {
    const [ann, bob] = [unique('ann'), unique('bob')];
    const roomId = await roomOf(ann, [bob]);
    const browser = browserKeys();
    const endpoint = push.url();
    expect(
      (await h.api(bob, 'POST', '/api/notifications/subscriptions', { endpoint, keys: browser.keys })).status,
    ).toBe(201);
    expect((await h.api(bob, 'PUT', `/api/notifications/mutes/${roomId}`)).status).toBe(204);
    const chatter = await h.api(ann, 'POST', `/api/rooms/${roomId}/messages`, { content: 'chatter' });
    const mention = await h.api(ann, 'POST', `/api/rooms/${roomId}/messages`, { content: `@${bob} look` });
    const [delivered] = await eventually(() => {
      expect(push.to(endpoint)).toHaveLength(1);
      return push.to(endpoint);
    });
    expect(decryptPush(delivered!.body, browser)).toMatchObject({ seq: mention.body.seq, sender_id: ann });
    await sleep(300);
    const pushedSeqs = push
      .to(endpoint)
      .map((each) => (decryptPush(each.body, browser) as { seq: number }).seq);
    expect(pushedSeqs).toEqual([mention.body.seq]);
    expect(pushedSeqs).not.toContain(chatter.body.seq);
  });

  it("lists the caller's mentions across rooms, newest first, by pages, in rooms they can still read", async () => {
    const [ann, bob] = [unique('ann'), unique('bob')];
    const [first, second] = [await roomOf(ann, [bob]), await roomOf(ann, [bob])];
    const post = async (roomId: string, content: string) =>
      (await h.api(ann, 'POST', `/api/rooms/${roomId}/messages`, { content })).body as { seq: number };
    await post(first, `@${bob} one`);
    await post(second, `@${bob} two`);
    await post(first, 'not a mention');
    await post(first, `@${bob} three`);

    const page = await h.api(bob, 'GET', '/api/mentions?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.mentions.map((message: { content: string }) => message.content)).toEqual([
      `@${bob} three`,
      `@${bob} two`,
    ]);
    expect(page.body.mentions[0]).toMatchObject({ room_id: first, sender_id: ann, mentions: [bob] });
    const rest = await h.api(bob, 'GET', `/api/mentions?limit=2&cursor=${page.body.next_cursor}`);
    expect(rest.body).toEqual({
      mentions: [expect.objectContaining({ content: `@${bob} one` })],
      next_cursor: null,
    });
    expect((await h.api(ann, 'GET', '/api/mentions')).body).toEqual({ mentions: [], next_cursor: null });
    expect((await h.api(bob, 'GET', '/api/mentions?cursor=nonsense')).status).toBe(400);

    // Removed from a room, its mentions are no longer theirs to read.
    expect((await h.api(ann, 'DELETE', `/api/rooms/${second}/members/${bob}`)).status).toBe(204);
    const after = await h.api(bob, 'GET', '/api/mentions');
    expect(after.body.mentions.map((message: { room_id: string }) => message.room_id)).toEqual([
      first,
      first,
    ]);
  });
});
