import {
  TYPING_EXPIRES_AFTER_MS,
  type PresenceStatus,
  type ServerFrame,
  type ServerFrameOf,
} from '@chat/contracts';
import { eventually, TestSocket } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

/** Presence timings shortened to seconds: offline 6 s after the last heartbeat, swept every 0.6 s. */
const FAST_PRESENCE = {
  CHAT_PRESENCE__OFFLINE_THRESHOLD_MINUTES: '0.1',
  CHAT_PRESENCE__CLEANUP_INTERVAL_MINUTES: '0.01',
};
/** What the specification asks of typing indicators: the other member sees them within a second. */
const WITHIN_A_SECOND = 1_000;

scenario('presence and typing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(FAST_PRESENCE);
  });
  afterAll(() => h.stop());

  /** Fresh user ids per test: presence outlives a test's sockets. */
  const users = <Names extends string[]>(...names: Names) =>
    names.map((name) => `${name}-${crypto.randomUUID().slice(0, 6)}`) as { [K in keyof Names]: string };

  /** A room of `owner` and `members`, once the presence service knows its members. */
  const roomOf = async (owner: string, members: string[], isPrivate = true) => {
    const created = await h.api(owner, 'POST', '/api/rooms', {
      name: 'presence',
      private: isPrivate,
      members,
    });
    expect(created.status).toBe(201);
    const roomId = created.body.room_id as string;
    await eventually(async () => {
      const presence = await h.api(owner, 'GET', `/api/presence/room/${roomId}`);
      expect(presence.body.members).toHaveLength(members.length + 1);
    });
    return roomId;
  };

  const presenceOf = async (userId: string) =>
    (await h.api(userId, 'GET', `/api/presence/users/${userId}`)).body;

  /** The next `presence` frame about `userId` with `status`, among those arriving after this call. */
  const nextPresence = (socket: TestSocket, userId: string, status: PresenceStatus, timeoutMs = 10_000) =>
    socket.next<ServerFrameOf<'presence'>>(
      (f) => f.type === 'presence' && f.user_id === userId && f.status === status,
      timeoutMs,
      socket.frames.length,
    );
  const presenceFrames = (socket: TestSocket, userId: string) =>
    socket.frames.flatMap((f) => (f.type === 'presence' && f.user_id === userId ? [f.status] : []));

  it("tells the members of a user's rooms, once each, that they are online while any device is", async () => {
    const [ann, bob, carl] = users('ann', 'bob', 'carl');
    const [first, second] = [await roomOf(ann, [bob, carl]), await roomOf(bob, [ann, carl])];
    // Each join shows Bob the room's presence, whenever the presence service takes it. Carl is
    // online in both rooms: once Bob has seen him twice, both joins are taken, and no room's
    // presence can repeat Ann's status below after her own announcement.
    const carlSocket = await h.connect(carl);
    await eventually(async () => expect(await presenceOf(carl)).toMatchObject({ status: 'online' }));
    const bobSocket = await h.connect(bob);
    await join(bobSocket, first);
    await join(bobSocket, second);
    await eventually(async () => expect(presenceFrames(bobSocket, carl)).toEqual(['online', 'online']));

    const online = nextPresence(bobSocket, ann, 'online');
    const phone = await h.connect(ann);
    expect(await online).toEqual({
      type: 'presence',
      user_id: ann,
      status: 'online',
      last_seen: expect.any(String),
    });
    const laptop = await h.connect(ann);
    await eventually(async () =>
      expect(await presenceOf(ann)).toMatchObject({ status: 'online', devices: 2 }),
    );

    phone.close();
    await eventually(async () =>
      expect(await presenceOf(ann)).toMatchObject({ status: 'online', devices: 1 }),
    );
    const offline = nextPresence(bobSocket, ann, 'offline');
    laptop.close();
    const gone = await offline;
    expect(Date.parse(gone.last_seen!)).toBeGreaterThan(Date.now() - 10_000);
    await eventually(async () =>
      expect(await presenceOf(ann)).toMatchObject({
        status: 'offline',
        devices: 0,
        last_seen: gone.last_seen,
      }),
    );
    expect(presenceFrames(bobSocket, ann)).toEqual(['online', 'offline']);
    bobSocket.close();
    carlSocket.close();
  });

  it('announces a member who joins while online to the room, and shows them who is there', async () => {
    const [ann, bob] = users('ann', 'bob');
    const roomId = await roomOf(ann, [], false);
    const annSocket = await h.connect(ann);
    await join(annSocket, roomId);
    const bobSocket = await h.connect(bob);
    await eventually(async () => expect(await presenceOf(bob)).toMatchObject({ status: 'online' }));

    const announced = nextPresence(annSocket, bob, 'online');
    const shown = nextPresence(bobSocket, ann, 'online');
    await join(bobSocket, roomId);
    expect(await announced).toEqual({
      type: 'presence',
      user_id: bob,
      status: 'online',
      last_seen: expect.any(String),
    });
    expect(await shown).toMatchObject({ user_id: ann, status: 'online' });
    annSocket.close();
    bobSocket.close();
  });

  it('lets a user set away, busy or appear offline, and come back', async () => {
    const [ann, bob] = users('ann', 'bob');
    const roomId = await roomOf(ann, [bob]);
    const bobSocket = await h.connect(bob);
    await join(bobSocket, roomId);
    const online = nextPresence(bobSocket, ann, 'online');
    const annSocket = await h.connect(ann);
    await online;

    for (const status of ['away', 'busy', 'offline', 'online'] as const) {
      const seen = nextPresence(bobSocket, ann, status);
      annSocket.send({ type: 'presence_update', status });
      await seen;
      // Appearing offline shows no devices either.
      const devices = status === 'offline' ? 0 : 1;
      await eventually(async () => expect(await presenceOf(ann)).toMatchObject({ status, devices }));
    }
    expect(presenceFrames(bobSocket, ann)).toEqual(['online', 'away', 'busy', 'offline', 'online']);
    annSocket.close();
    bobSocket.close();
  });

  it('takes a client that stops answering for gone after the threshold, and keeps a quiet one online', async () => {
    const [ann, bob] = users('ann', 'bob');
    const roomId = await roomOf(ann, [bob]);
    const bobSocket = await h.connect(bob);
    await join(bobSocket, roomId);
    const online = nextPresence(bobSocket, ann, 'online');
    // Neither pings nor answers the gateway's pings: a frozen client whose socket stays open.
    const frozen = await TestSocket.authenticated(h.wsUrl, await h.token(ann), { autoPong: false });
    await online;

    const offline = nextPresence(bobSocket, ann, 'offline', 15_000);
    await offline;
    expect(frozen.closeCode).toBeNull();
    // Bob sent nothing all along either, but answered the gateway's pings.
    expect(await presenceOf(bob)).toMatchObject({ status: 'online', devices: 1 });
    frozen.close();
    bobSocket.close();
  });

  it('shows typing to the room within a second, and ends it on stop or after 5 s without renewal', async () => {
    const [ann, bob] = users('ann', 'bob');
    const roomId = await roomOf(ann, [bob]);
    const [annSocket, bobSocket] = [await h.connect(ann), await h.connect(bob)];
    await join(annSocket, roomId);
    await join(bobSocket, roomId);
    const typing = (state: 'start' | 'stop') => (f: ServerFrame) =>
      f.type === 'typing' && f.room_id === roomId && f.user_id === ann && f.state === state;

    const started = bobSocket.next(typing('start'), WITHIN_A_SECOND, bobSocket.frames.length);
    annSocket.send({ type: 'typing', room_id: roomId, state: 'start' });
    annSocket.send({ type: 'typing', room_id: roomId, state: 'start' });
    await started;
    const stopped = bobSocket.next(typing('stop'), WITHIN_A_SECOND, bobSocket.frames.length);
    annSocket.send({ type: 'typing', room_id: roomId, state: 'stop' });
    await stopped;

    const restarted = bobSocket.next(typing('start'), WITHIN_A_SECOND, bobSocket.frames.length);
    annSocket.send({ type: 'typing', room_id: roomId, state: 'start' });
    await restarted;
    const startedAt = Date.now();
    await bobSocket.next(typing('stop'), TYPING_EXPIRES_AFTER_MS + WITHIN_A_SECOND, bobSocket.frames.length);
    expect(Date.now() - startedAt).toBeGreaterThan(TYPING_EXPIRES_AFTER_MS - 500);

    expect(
      bobSocket.frames.filter((f) => f.type === 'typing').map((f) => f.type === 'typing' && f.state),
    ).toEqual(['start', 'stop', 'start', 'stop']);
    expect(annSocket.ofType('typing')).toEqual([]);
    annSocket.close();
    bobSocket.close();
  });

  it('refuses typing in a room not joined on the connection', async () => {
    const [ann, bob] = users('ann', 'bob');
    const roomId = await roomOf(ann, [bob]);
    const annSocket = await h.connect(ann);
    const refused = annSocket.nextOfType('error');
    annSocket.send({ type: 'typing', room_id: roomId, state: 'start' });
    expect(await refused).toMatchObject({ code: 'not_member', ref: 'typing' });
    annSocket.close();
  });

  it("answers a room's presence to its members only, and nothing without a token", async () => {
    const [ann, bob, eve] = users('ann', 'bob', 'eve');
    const secret = await roomOf(ann, [bob]);
    const open = await roomOf(ann, [], false);
    const annSocket = await h.connect(ann);
    await eventually(async () => expect(await presenceOf(ann)).toMatchObject({ status: 'online' }));

    const room = await h.api(bob, 'GET', `/api/presence/room/${secret}`);
    expect(room).toMatchObject({ status: 200, body: { room_id: secret } });
    expect(room.body.members).toEqual(
      [
        { user_id: ann, status: 'online', last_seen: expect.any(String), devices: 1 },
        { user_id: bob, status: 'offline', last_seen: null, devices: 0 },
      ].sort((a, b) => a.user_id.localeCompare(b.user_id)),
    );

    expect(await h.api(eve, 'GET', `/api/presence/room/${secret}`)).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });
    expect(await h.api(eve, 'GET', `/api/presence/room/${open}`)).toMatchObject({
      status: 403,
      body: { code: 'not_member' },
    });
    expect((await h.api(eve, 'GET', '/api/presence/room/no-such-room')).status).toBe(404);
    expect((await h.api(null, 'GET', `/api/presence/room/${secret}`)).status).toBe(401);
    expect(await h.api(null, 'GET', `/api/presence/users/${ann}`)).toMatchObject({
      status: 401,
      body: { code: 'unauthenticated' },
    });
    expect(await h.api(eve, 'GET', `/api/presence/users/${ann}`)).toMatchObject({
      status: 200,
      body: { user_id: ann, status: 'online', devices: 1 },
    });
    annSocket.close();
  });
});
