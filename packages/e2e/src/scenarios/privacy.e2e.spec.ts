import { ChatClient } from '@chat/client';
import { eventually } from '@chat/testkit';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, sendAndAck, type Harness } from '../harness';
import { browserKeys, PushEndpoint } from '../push-endpoint';
import { scenario, startHarness } from '../target';

/** The push endpoint listens on 127.0.0.1, allowed as an operator allows an internal push gateway. */
const PUSH_ON_LOOPBACK = { CHAT_NOTIFICATION__ALLOWED_HOSTS: '127.0.0.1' };

/** The search index's files (embedded) or documents (fleet): the one place content is kept in clear. */
const isSearchIndex = (place: string) =>
  /(^|\/)search\/index\.db/.test(place) || place.startsWith('elasticsearch ');

scenario('privacy: export and erasure', () => {
  let h: Harness;
  let push: PushEndpoint;
  beforeAll(async () => {
    push = await PushEndpoint.start();
    h = await startHarness(PUSH_ON_LOOPBACK);
  });
  afterAll(async () => {
    await h?.stop();
    await push?.stop();
  });

  /** A request with an administrator's token. */
  const asAdmin = async (method: string, path: string) => {
    const token = await h.token('root', { admin: true });
    const response = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : null };
  };
  /** The export as the raw text it streams, and parsed. */
  const exportOf = async (userId: string) => {
    const response = await fetch(`${h.apiUrl}/api/me/export`, {
      headers: { authorization: `Bearer ${await h.token(userId)}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    return { text, body: JSON.parse(text) };
  };

  it("exports exactly the user's data; erasing leaves tombstones, deletes the rest, closes sockets, and is idempotent", async () => {
    const alice = `alice-${crypto.randomUUID().slice(0, 8)}`;
    const bob = `bob-${crypto.randomUUID().slice(0, 8)}`;
    const canary = `canary${crypto.randomUUID().replaceAll('-', '')}`;
    const created = await h.api(alice, 'POST', '/api/rooms', {
      name: 'private',
      private: true,
      members: [bob],
    });
    expect(created.status).toBe(201);
    const roomId = created.body.room_id as string;

    // Alice writes the canary in a message, an edit, a file name and a file; Bob writes his own.
    const said = await h.api(alice, 'POST', `/api/rooms/${roomId}/messages`, { content: `hello ${canary}` });
    expect(said.status).toBe(201);
    const toEdit = await h.api(alice, 'POST', `/api/rooms/${roomId}/messages`, { content: 'to be edited' });
    expect(
      (
        await h.api(alice, 'PATCH', `/api/rooms/${roomId}/messages/${toEdit.body.message_id}`, {
          content: `edited ${canary}`,
        })
      ).status,
    ).toBe(200);
    const bobs = await h.api(bob, 'POST', `/api/rooms/${roomId}/messages`, {
      content: `bob mentions @${alice}`,
    });
    expect(bobs.status).toBe(201);
    const bytes = Buffer.from(`the file says ${canary}\n`);
    const ticket = await h.api(alice, 'POST', '/api/media/uploads', {
      room_id: roomId,
      file_name: `${canary}.txt`,
      content_type: 'text/plain',
      size: bytes.length,
    });
    expect(ticket.status).toBe(201);
    expect((await fetch(h.resolve(ticket.body.upload_url), { method: 'PUT', body: bytes })).ok).toBe(true);
    expect((await h.api(alice, 'POST', `/api/media/${ticket.body.file_id}/complete`)).status).toBe(200);
    const fileId = ticket.body.file_id as string;
    const [pushEndpoint, webhook] = [push.url(), push.url()];

    const [aliceSocket, aliceOther, bobSocket] = await Promise.all([
      h.connect(alice),
      h.connect(alice),
      h.connect(bob),
    ]);
    await join(aliceSocket, roomId);
    const shared = aliceSocket.nextOfType('ack', 10_000, (ack) => ack.client_msg_id === 'share-canary');
    aliceSocket.send({
      type: 'share_file',
      room_id: roomId,
      file_url: ticket.body.file_url,
      file_name: `${canary}.txt`,
      file_size: bytes.length,
      client_msg_id: 'share-canary',
    });
    await shared;
    const reacted = await h.api(
      alice,
      'PUT',
      `/api/rooms/${roomId}/messages/${bobs.body.message_id}/reactions/${encodeURIComponent('👍')}`,
    );
    expect(reacted.status).toBeLessThan(300);
    await join(bobSocket, roomId);
    await sendAndAck(bobSocket, roomId, 'bob again');
    expect(
      (
        await h.api(alice, 'POST', '/api/notifications/subscriptions', {
          endpoint: pushEndpoint,
          keys: browserKeys().keys,
        })
      ).status,
    ).toBe(201);
    expect((await h.api(alice, 'PUT', '/api/notifications/webhook', { url: webhook })).status).toBe(200);

    // In clear, the canary lies only in the search index (which must match words) — once indexed.
    const inClear = await eventually(async () => {
      const places = await h.findInStores(canary);
      expect(places.length).toBeGreaterThan(0);
      return places;
    });
    expect(inClear.filter((place) => !isSearchIndex(place))).toEqual([]);

    // The export holds what is Alice's, and nothing of Bob's.
    await eventually(async () => {
      const { body } = await exportOf(alice);
      expect(body.files).toHaveLength(1);
      expect(body.reactions).toHaveLength(1);
      expect(body.push_subscriptions).toHaveLength(1);
      expect(body.webhooks).toHaveLength(1);
      expect(body.presence.last_seen).not.toBeNull();
    });
    const before = await exportOf(alice);
    expect(before.body).toMatchObject({
      user_id: alice,
      profile: { user_id: alice, erased: false },
      memberships: [{ room_id: roomId, role: 'owner' }],
      reactions: [{ room_id: roomId, seq: bobs.body.seq, emoji: '👍' }],
      files: [
        { file_id: fileId, room_id: roomId, file_name: `${canary}.txt`, file_url: `/api/media/${fileId}` },
      ],
      push_subscriptions: [{ endpoint: pushEndpoint }],
      webhooks: [{ url: webhook }],
    });
    expect(before.body.messages.map((message: { content: string }) => message.content)).toEqual([
      `hello ${canary}`,
      `edited ${canary}`,
      expect.any(String),
    ]);
    expect(before.body.messages.every((message: { sender_id: string }) => message.sender_id === alice)).toBe(
      true,
    );
    expect(before.text).not.toContain('bob again');
    expect((await h.api(bob, 'GET', `/api/me/export`)).body.messages).toHaveLength(2);

    // Alice erases herself: her sockets close with 4008, her token is refused from then on.
    const closed = Promise.all([aliceSocket.waitForClose(), aliceOther.waitForClose()]);
    const erased = await h.api(alice, 'DELETE', '/api/me');
    expect(erased).toMatchObject({ status: 200, body: { user_id: alice, erased_by: alice } });
    // Her content was sealed under keys of hers: destroyed now, everywhere at once.
    expect(erased.body.keys_destroyed).toBeGreaterThan(0);
    expect(await closed).toEqual([4008, 4008]);
    await eventually(async () =>
      expect(await h.api(alice, 'GET', '/api/rooms')).toMatchObject({
        status: 410,
        body: { code: 'account_erased' },
      }),
    );
    await expect(h.connect(alice)).rejects.toThrow(/account_erased|erased/);

    // Her messages are tombstones in place; Bob's stay, his mention of her as written.
    await eventually(async () => {
      const history = await h.api(bob, 'GET', `/api/rooms/${roomId}/messages?limit=50`);
      const messages = history.body.messages as {
        seq: number;
        sender_id: string;
        content: string;
        erased?: boolean;
      }[];
      expect(messages.map((message) => message.seq)).toEqual(messages.map((_, index) => index + 1));
      const hers = messages.filter((each) => each.sender_id === alice);
      expect(hers).toHaveLength(3);
      for (const message of hers) {
        expect(message).toMatchObject({ content: '', erased: true });
        expect(message).not.toHaveProperty('file');
      }
      expect(messages.filter((each) => each.sender_id === bob).map((each) => each.content)).toEqual([
        `bob mentions @${alice}`,
        'bob again',
      ]);
      expect(JSON.stringify(history.body)).not.toContain(canary);
    });
    const reactions = await h.api(bob, 'GET', `/api/rooms/${roomId}/messages?limit=50`);
    expect(JSON.stringify(reactions.body)).not.toContain('👍');
    await eventually(async () =>
      expect(
        (await h.api(bob, 'GET', `/api/search/messages?q=${canary}&room_id=${roomId}`)).body.hits,
      ).toEqual([]),
    );
    await eventually(async () =>
      expect(await h.api(bob, 'GET', `/api/media/${fileId}`)).toMatchObject({
        status: 404,
        body: { code: 'file_not_found' },
      }),
    );
    // Erasure is real: every store read as raw bytes (event logs, topics, read models, index, files).
    await eventually(async () => expect(await h.findInStores(canary)).toEqual([]));

    // Again: refused for her token, no change for an administrator.
    expect(await h.api(alice, 'DELETE', '/api/me')).toMatchObject({
      status: 410,
      body: { code: 'account_erased' },
    });
    const again = await asAdmin('DELETE', `/api/admin/users/${alice}`);
    expect(again).toMatchObject({
      status: 200,
      body: { user_id: alice, erased_by: alice, erased_at: erased.body.erased_at, keys_destroyed: 0 },
    });
    expect(await h.api(bob, 'DELETE', `/api/admin/users/${alice}`)).toMatchObject({ status: 403 });

    // The audit log notes it, without content; what remains of her is tombstones.
    const audit = await eventually(async () => {
      const page = await asAdmin('GET', `/api/audit?action=user.erased&actor=${alice}`);
      expect(page.body.records).toHaveLength(1);
      return page;
    });
    expect(audit.body.records[0]).toMatchObject({
      action: 'user.erased',
      target: { type: 'user', id: alice },
    });
    const after = await asAdmin('GET', `/api/admin/users/${alice}/export`);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      profile: { erased: true },
      reactions: [],
      receipts: [],
      files: [],
      push_subscriptions: [],
      webhooks: [],
      mutes: [],
      presence: { last_seen: null },
    });
    expect(after.text).not.toContain(canary);
    expect(after.body.audit).toContainEqual(
      expect.objectContaining({ action: 'user.erased', target: { type: 'user', id: alice } }),
    );
    bobSocket.close();
  });

  it('lets a client export and erase its user through the SDK', async () => {
    const user = `sdk-${crypto.randomUUID().slice(0, 8)}`;
    const client = new ChatClient({
      url: h.wsUrl,
      apiUrl: new URL(h.resolve('/api/me')).origin,
      token: () => h.token(user),
      WebSocket,
    });
    await client.connect();
    const created = await h.api(user, 'POST', '/api/rooms', { name: 'sdk', private: true });
    expect((await client.exportMe()).memberships).toEqual([
      expect.objectContaining({ room_id: created.body.room_id }),
    ]);
    expect(await client.eraseMe()).toMatchObject({ user_id: user, erased_by: user });
    await eventually(() => expect(client.exportMe()).rejects.toMatchObject({ code: 'account_erased' }));
    client.close();
  });
});
