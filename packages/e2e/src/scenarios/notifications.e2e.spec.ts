import { createHmac } from 'node:crypto';
import type { ServerFrameOf } from '@chat/contracts';
import { eventually } from '@chat/testkit';
import { importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, type Harness } from '../harness';
import { browserKeys, decryptPush, PushEndpoint, type BrowserKeys } from '../push-endpoint';
import { scenario, startHarness } from '../target';

/**
 * Quick retries so a test sees three attempts in well under a second; the push endpoint on
 * 127.0.0.1 allowed as an operator allows an internal push gateway.
 */
const RETRIES = {
  NOTIFICATION_RETRY_BASE_MS: '50',
  NOTIFICATION_MAX_ATTEMPTS: '3',
  CHAT_NOTIFICATION__ALLOWED_HOSTS: '127.0.0.1',
};

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The VAPID Authorization header (RFC 8292): `vapid t=<ES256 JWT>, k=<public key>`, checked. */
const verifyVapid = async (authorization: string | undefined, endpoint: string, publicKey: string) => {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  expect(match, `Authorization: ${authorization}`).not.toBeNull();
  const [, token, k] = match!;
  expect(k).toBe(publicKey);
  const point = Buffer.from(k!, 'base64url');
  expect(point[0]).toBe(4);
  const key = await importJWK(
    {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    'ES256',
  );
  const { payload } = await jwtVerify(token!, key, {
    algorithms: ['ES256'],
    audience: new URL(endpoint).origin,
  });
  expect(payload.sub).toMatch(/^(mailto:|https:)/);
  expect(payload.exp! * 1000).toBeGreaterThan(Date.now());
};

interface Setup {
  roomId: string;
  sender: string;
  member: string;
  browser: BrowserKeys;
  endpoint: string;
  subscriptionId: string;
}

scenario('push notifications and unread counts', () => {
  let h: Harness;
  let push: PushEndpoint;
  let vapidKey: string;

  beforeAll(async () => {
    push = await PushEndpoint.start();
    h = await startHarness(RETRIES);
    vapidKey = (await h.api('anyone', 'GET', '/api/notifications/vapid-public-key')).body.public_key;
  });
  afterAll(async () => {
    await h?.stop();
    await push?.stop();
  });

  /** A private room of a sender and an offline member whose browser subscribed to pushes. */
  const setUp = async (statuses: number[] = []): Promise<Setup> => {
    const [sender, member] = [unique('alice'), unique('bob')];
    const created = await h.api(sender, 'POST', '/api/rooms', {
      name: 'Push',
      private: true,
      members: [member],
    });
    expect(created.status).toBe(201);
    const browser = browserKeys();
    const endpoint = push.url(statuses);
    const subscribed = await h.api(member, 'POST', '/api/notifications/subscriptions', {
      endpoint,
      keys: browser.keys,
    });
    expect(subscribed.status).toBe(201);
    return {
      roomId: created.body.room_id,
      sender,
      member,
      browser,
      endpoint,
      subscriptionId: subscribed.body.subscription_id,
    };
  };

  const send = async (setup: Setup, content: string) => {
    const sent = await h.api(setup.sender, 'POST', `/api/rooms/${setup.roomId}/messages`, { content });
    expect(sent.status).toBe(201);
    return sent.body as { message_id: string; seq: number };
  };

  const unreadOf = async (userId: string, roomId: string) =>
    (
      (await h.api(userId, 'GET', '/api/notifications/unread')).body as {
        room_id: string;
        unread: number;
        last_seq: number;
      }[]
    ).find((count) => count.room_id === roomId);

  /** Waits until the notification service has seen the message (its unread count shows it). */
  const seenBy = (setup: Setup, seq: number) =>
    eventually(async () =>
      expect((await unreadOf(setup.member, setup.roomId))?.last_seq).toBeGreaterThanOrEqual(seq),
    );

  it('registers, lists and removes one’s own push subscriptions', async () => {
    const setup = await setUp();
    const listed = await h.api(setup.member, 'GET', '/api/notifications/subscriptions');
    expect(listed.body).toEqual([
      { subscription_id: setup.subscriptionId, endpoint: setup.endpoint, created_at: expect.any(String) },
    ]);
    // The same browser again is the same subscription; others see none of it.
    const again = await h.api(setup.member, 'POST', '/api/notifications/subscriptions', {
      endpoint: setup.endpoint,
      keys: setup.browser.keys,
    });
    expect(again.body.subscription_id).toBe(setup.subscriptionId);
    expect((await h.api(setup.sender, 'GET', '/api/notifications/subscriptions')).body).toEqual([]);
    expect(
      (await h.api(setup.sender, 'DELETE', `/api/notifications/subscriptions/${setup.subscriptionId}`))
        .status,
    ).toBe(404);
    expect(
      (await h.api(setup.member, 'DELETE', `/api/notifications/subscriptions/${setup.subscriptionId}`))
        .status,
    ).toBe(204);
    expect((await h.api(setup.member, 'GET', '/api/notifications/subscriptions')).body).toEqual([]);
    const invalid = await h.api(setup.member, 'POST', '/api/notifications/subscriptions', {
      endpoint: setup.endpoint,
    });
    expect(invalid.status).toBe(400);
  });

  it('pushes a message to an offline member, encrypted (aes128gcm) and signed (VAPID)', async () => {
    const setup = await setUp();
    const sent = await send(setup, 'Lunch at noon? 🍜');
    const [delivered] = await eventually(() => {
      const received = push.to(setup.endpoint);
      expect(received).toHaveLength(1);
      return received;
    });
    expect(delivered!.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(delivered!.headers.ttl)).toBeGreaterThan(0);
    await verifyVapid(delivered!.headers.authorization, setup.endpoint, vapidKey);
    expect(decryptPush(delivered!.body, setup.browser)).toEqual({
      type: 'message',
      room_id: setup.roomId,
      message_id: sent.message_id,
      seq: sent.seq,
      sender_id: setup.sender,
      preview: 'Lunch at noon? 🍜',
      created_at: expect.any(String),
    });
    // The sender is not notified of their own message (they have no subscription: nothing else came).
    await sleep(200);
    expect(push.to(setup.endpoint)).toHaveLength(1);
  });

  it('pushes a member added just before a message, and counts their unread from the join', async () => {
    // Who is a member comes from the room access view, which the message service's relay feeds
    // before it publishes the events: the member added a moment ago is known when the message is.
    const [sender, member] = [unique('alice'), unique('bob')];
    const created = await h.api(sender, 'POST', '/api/rooms', { name: 'Late', private: true });
    const roomId = created.body.room_id as string;
    const browser = browserKeys();
    const endpoint = push.url();
    await h.api(member, 'POST', '/api/notifications/subscriptions', { endpoint, keys: browser.keys });
    const before = await h.api(sender, 'POST', `/api/rooms/${roomId}/messages`, {
      content: 'before you came',
    });
    expect((await h.api(sender, 'POST', `/api/rooms/${roomId}/members`, { user_id: member })).status).toBe(
      201,
    );
    const sent = await h.api(sender, 'POST', `/api/rooms/${roomId}/messages`, { content: 'welcome' });
    const [delivered] = await eventually(() => {
      expect(push.to(endpoint)).toHaveLength(1);
      return push.to(endpoint);
    });
    expect(decryptPush(delivered!.body, browser)).toMatchObject({ seq: sent.body.seq, preview: 'welcome' });
    await eventually(async () =>
      expect(await unreadOf(member, roomId)).toEqual({ room_id: roomId, unread: 1, last_seq: sent.body.seq }),
    );
    expect(before.body.seq).toBeLessThan(sent.body.seq);
    await sleep(200);
    expect(push.to(endpoint)).toHaveLength(1);
  });

  it('does not push a member who is online (per the presence service)', async () => {
    // Who is online comes from the presence service's `presence.changes`: first the presence
    // service sees the member online (its own REST says so).
    const setup = await setUp();
    const socket = await h.connect(setup.member);
    await eventually(async () => {
      const presence = await h.api(setup.member, 'GET', `/api/presence/users/${setup.member}`);
      expect(presence.status).toBe(200);
      expect(presence.body.status).toBe('online');
    }, 5_000);
    // The change reaches this service shortly after: a message then is not pushed.
    const sent = await eventually(async () => {
      const probe = await send(setup, 'are you there?');
      await seenBy(setup, probe.seq);
      await sleep(300);
      const pushed = push
        .to(setup.endpoint)
        .some((each) => (decryptPush(each.body, setup.browser) as { seq: number }).seq === probe.seq);
      expect(pushed).toBe(false);
      return probe;
    }, 10_000);
    expect(sent.seq).toBeGreaterThan(0);
    socket.close();
  });

  it('does not push a room the member muted, and pushes again once unmuted', async () => {
    const setup = await setUp();
    expect((await h.api(setup.member, 'PUT', `/api/notifications/mutes/${setup.roomId}`)).status).toBe(204);
    const muted = await send(setup, 'psst');
    await seenBy(setup, muted.seq);
    await sleep(300);
    expect(push.to(setup.endpoint)).toHaveLength(0);
    expect((await h.api(setup.member, 'DELETE', `/api/notifications/mutes/${setup.roomId}`)).status).toBe(
      204,
    );
    const heard = await send(setup, 'hello again');
    await eventually(() => expect(push.to(setup.endpoint)).toHaveLength(1));
    expect(decryptPush(push.to(setup.endpoint)[0]!.body, setup.browser)).toMatchObject({ seq: heard.seq });
  });

  it('retries a failing push with backoff until it is delivered', async () => {
    const setup = await setUp([500, 503]);
    await send(setup, 'third time lucky');
    await eventually(() =>
      expect(push.to(setup.endpoint).map((each) => each.status)).toEqual([500, 503, 201]),
    );
    const [first, , third] = push.to(setup.endpoint);
    expect(decryptPush(third!.body, setup.browser)).toMatchObject({ preview: 'third time lucky' });
    expect(first).toBeDefined();
    expect((await h.api(setup.member, 'GET', '/api/notifications/dead-letters')).body).toEqual([]);
  });

  it('removes a subscription its push service calls gone (410)', async () => {
    const setup = await setUp([410]);
    await send(setup, 'anyone there?');
    await eventually(async () => {
      expect(push.to(setup.endpoint)).toHaveLength(1);
      expect((await h.api(setup.member, 'GET', '/api/notifications/subscriptions')).body).toEqual([]);
    });
    const later = await send(setup, 'not pushed');
    await seenBy(setup, later.seq);
    await sleep(300);
    expect(push.to(setup.endpoint)).toHaveLength(1);
  });

  it('dead-letters a push that keeps failing, for its owner to see', async () => {
    const setup = await setUp([500, 500, 500, 500]);
    const sent = await send(setup, 'lost');
    const letters = await eventually(async () => {
      const found = await h.api(setup.member, 'GET', '/api/notifications/dead-letters');
      expect(found.body).toHaveLength(1);
      return found.body;
    });
    expect(letters[0]).toMatchObject({
      channel: 'web_push',
      target_id: setup.subscriptionId,
      room_id: setup.roomId,
      message_id: sent.message_id,
      seq: sent.seq,
      attempts: 3,
      reason: 'attempts_exhausted',
      last_error: 'delivery failed',
    });
    expect(push.to(setup.endpoint)).toHaveLength(3);
    expect((await h.api(setup.sender, 'GET', '/api/notifications/dead-letters')).body).toEqual([]);
  });

  it('refuses webhooks and push endpoints on private, loopback, link-local and metadata addresses', async () => {
    const user = unique('mallory');
    const keys = browserKeys().keys;
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:6379/',
      'http://[::ffff:10.0.0.1]/',
      'http://192.168.0.1:8080/admin',
      'http://100.100.100.200/latest/meta-data/',
      'http://3232235521/',
      'gopher://127.0.0.1:6379/',
    ]) {
      const hook = await h.api(user, 'PUT', '/api/notifications/webhook', { url });
      expect(hook, url).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
      const subscribed = await h.api(user, 'POST', '/api/notifications/subscriptions', {
        endpoint: url,
        keys,
      });
      expect(subscribed, url).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    }
    expect((await h.api(user, 'GET', '/api/notifications/subscriptions')).body).toEqual([]);
  });

  it('posts to a registered webhook, signed with HMAC-SHA256', async () => {
    const setup = await setUp();
    const url = push.url();
    const registered = await h.api(setup.member, 'PUT', '/api/notifications/webhook', { url });
    expect(registered.status).toBe(200);
    const sent = await send(setup, 'hooked');
    const [hook] = await eventually(() => {
      expect(push.to(url)).toHaveLength(1);
      return push.to(url);
    });
    const expected = `sha256=${createHmac('sha256', registered.body.secret).update(hook!.body).digest('hex')}`;
    expect(hook!.headers['x-chat-signature']).toBe(expected);
    expect(JSON.parse(hook!.body.toString('utf8'))).toMatchObject({
      room_id: setup.roomId,
      message_id: sent.message_id,
      sender_id: setup.sender,
      preview: 'hooked',
    });
  });

  it('counts unread messages, clears them with mark_read, and resumes what was missed', async () => {
    const setup = await setUp();
    const sent: { message_id: string; seq: number }[] = [];
    for (const content of ['one', 'two', 'three']) sent.push(await send(setup, content));
    await eventually(async () =>
      expect(await unreadOf(setup.member, setup.roomId)).toEqual({
        room_id: setup.roomId,
        unread: 3,
        last_seq: sent[2]!.seq,
      }),
    );
    // The sender's own messages are not unread to them.
    expect(await unreadOf(setup.sender, setup.roomId)).toMatchObject({ unread: 0 });

    // Back online: the socket is told its unread counts, which say where to resume; join_room with
    // last_seq delivers the rest.
    const socket = await h.connect(setup.member);
    const roomOf = (frame: ServerFrameOf<'unread'>) =>
      frame.rooms.find(({ room_id }) => room_id === setup.roomId);
    const missed = await socket.next<ServerFrameOf<'unread'>>((frame) => frame.type === 'unread');
    expect(roomOf(missed)).toEqual({ room_id: setup.roomId, unread: 3, last_seq: sent[2]!.seq });
    // A read mark set on one device reaches the user's other devices as the room's new count.
    const otherDevice = await h.connect(setup.member);
    await otherDevice.next((frame) => frame.type === 'unread');
    const synced = otherDevice.nextOfType('unread', 5_000, (frame) => roomOf(frame)?.unread === 2);
    const answered = socket.nextOfType('unread', 5_000, (frame) => roomOf(frame)?.unread === 2);
    socket.send({ type: 'mark_read', room_id: setup.roomId, seq: sent[0]!.seq });
    expect((await synced).rooms).toEqual([{ room_id: setup.roomId, unread: 2, last_seq: sent[2]!.seq }]);
    await answered;
    otherDevice.close();
    expect(await unreadOf(setup.member, setup.roomId)).toMatchObject({ unread: 2 });
    const from = socket.frames.length;
    await join(socket, setup.roomId, sent[0]!.seq);
    await eventually(() =>
      expect(
        socket.frames.slice(from).flatMap((frame) => (frame.type === 'message' ? [frame.content] : [])),
      ).toEqual(['two', 'three']),
    );
    socket.send({ type: 'mark_read', room_id: setup.roomId, seq: sent[2]!.seq });
    await eventually(async () =>
      expect(await unreadOf(setup.member, setup.roomId)).toMatchObject({ unread: 0 }),
    );
    // A mark never moves back; a bad frame is refused with an error.
    socket.send({ type: 'mark_read', room_id: setup.roomId, seq: 1 });
    const refused = socket.nextOfType('error');
    socket.send({ type: 'mark_read', room_id: setup.roomId });
    expect(await refused).toMatchObject({ code: 'invalid_frame' });
    await sleep(200);
    expect(await unreadOf(setup.member, setup.roomId)).toMatchObject({ unread: 0 });
    socket.close();
  });
});

scenario('push notifications switched off (ENABLE_PUSH_NOTIFICATIONS=false)', () => {
  let h: Harness;
  let push: PushEndpoint;
  beforeAll(async () => {
    push = await PushEndpoint.start();
    h = await startHarness({ ...RETRIES, ENABLE_PUSH_NOTIFICATIONS: 'false' });
  });
  afterAll(async () => {
    await h?.stop();
    await push?.stop();
  });

  describe('with the flag off', () => {
    it('sends no push, but still counts unread messages', async () => {
      const [sender, member] = [unique('alice'), unique('bob')];
      const created = await h.api(sender, 'POST', '/api/rooms', {
        name: 'Quiet',
        private: true,
        members: [member],
      });
      const endpoint = push.url();
      await h.api(member, 'POST', '/api/notifications/subscriptions', { endpoint, keys: browserKeys().keys });
      const sent = await h.api(sender, 'POST', `/api/rooms/${created.body.room_id}/messages`, {
        content: 'shh',
      });
      await eventually(async () =>
        expect((await h.api(member, 'GET', '/api/notifications/unread')).body).toEqual([
          { room_id: created.body.room_id, unread: 1, last_seq: sent.body.seq },
        ]),
      );
      await sleep(300);
      expect(push.to(endpoint)).toHaveLength(0);
    });
  });
});
