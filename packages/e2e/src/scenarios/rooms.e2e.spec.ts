import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, sendAndAck, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('rooms over REST and access control', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('answers 401 without a token or with a bad one', async () => {
    expect((await h.api(null, 'GET', '/api/rooms')).status).toBe(401);
    const response = await fetch(`${h.apiUrl}/api/rooms`, { headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('has the public general room from the start', async () => {
    const rooms = await h.api('anyone', 'GET', '/api/rooms');
    expect(rooms.status).toBe(200);
    expect(rooms.body.rooms).toContainEqual(expect.objectContaining({ room_id: 'general', private: false }));
  });

  it('creates, lists, updates and deletes a room; only its owner may change it', async () => {
    const created = await h.api('olga', 'POST', '/api/rooms', { name: 'Design', private: false });
    expect(created.status).toBe(201);
    const roomId = created.body.room_id as string;
    expect(created.body).toMatchObject({ name: 'Design', owner_id: 'olga', role: 'owner' });
    const listed = await h.api('olga', 'GET', '/api/rooms');
    expect(listed.body.rooms.map((r: { room_id: string }) => r.room_id)).toContain(roomId);

    expect((await h.api('pete', 'PUT', `/api/rooms/${roomId}`, { name: 'Hijack' })).status).toBe(403);
    const renamed = await h.api('olga', 'PUT', `/api/rooms/${roomId}`, { name: 'Design team' });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Design team' } });
    expect((await h.api('admin', 'PUT', `/api/rooms/${roomId}`, { name: 'By admin' })).status).toBe(403);

    expect((await h.api('pete', 'DELETE', `/api/rooms/${roomId}`)).status).toBe(403);
    expect((await h.api('olga', 'DELETE', `/api/rooms/${roomId}`)).status).toBe(204);
    expect((await h.api('olga', 'GET', `/api/rooms/${roomId}`)).status).toBe(404);
  });

  it('keeps a private room invisible to non-members over REST and WebSocket', async () => {
    const created = await h.api('alice', 'POST', '/api/rooms', {
      name: 'secret',
      private: true,
      members: ['bob'],
    });
    const roomId = created.body.room_id as string;

    const outsiderRooms = await h.api('mallory', 'GET', '/api/rooms');
    expect(outsiderRooms.body.rooms.map((r: { room_id: string }) => r.room_id)).not.toContain(roomId);
    expect((await h.api('mallory', 'GET', `/api/rooms/${roomId}`)).status).toBe(404);
    expect((await h.api('mallory', 'GET', `/api/rooms/${roomId}/messages`)).status).toBe(404);
    expect((await h.api('mallory', 'POST', `/api/rooms/${roomId}/messages`, { content: 'hi' })).status).toBe(
      404,
    );

    const [alice, bob, mallory] = await Promise.all([
      h.connect('alice'),
      h.connect('bob'),
      h.connect('mallory'),
    ]);
    await join(alice, roomId);
    await join(bob, roomId);
    mallory.send({ type: 'join_room', room_id: roomId });
    expect(await mallory.nextOfType('error')).toMatchObject({ code: 'room_not_found', ref: 'join_room' });
    mallory.send({ type: 'send_message', room_id: roomId, content: 'let me in', client_msg_id: 'x1' });
    expect(await mallory.nextOfType('error')).toMatchObject({ code: 'room_not_found', ref: 'x1' });

    const atBob = bob.nextOfType('message', 5_000, (m) => m.content === 'for members only');
    await sendAndAck(alice, roomId, 'for members only');
    await atBob;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mallory.frames.some((f) => JSON.stringify(f).includes('for members only'))).toBe(false);

    await eventually(async () => {
      const history = await h.api('bob', 'GET', `/api/rooms/${roomId}/messages`);
      expect(history.status).toBe(200);
      expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['for members only']);
    });
    for (const socket of [alice, bob, mallory]) socket.close();
  });

  it('lets the owner add a member, who then reads the history', async () => {
    const created = await h.api('quinn', 'POST', '/api/rooms', { name: 'invite-only', private: true });
    const roomId = created.body.room_id as string;
    await h.api('quinn', 'POST', `/api/rooms/${roomId}/messages`, { content: 'before you came' });
    expect((await h.api('rita', 'GET', `/api/rooms/${roomId}/messages`)).status).toBe(404);
    expect((await h.api('rita', 'POST', `/api/rooms/${roomId}/members`, { user_id: 'rita' })).status).toBe(
      404,
    );
    expect((await h.api('quinn', 'POST', `/api/rooms/${roomId}/members`, { user_id: 'rita' })).status).toBe(
      201,
    );
    const history = await h.api('rita', 'GET', `/api/rooms/${roomId}/messages`);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['before you came']);
  });

  it('pages history with limit, before_seq, after_seq and before (time)', async () => {
    const created = await h.api('paula', 'POST', '/api/rooms', { name: 'pages' });
    const roomId = created.body.room_id as string;
    for (let i = 1; i <= 7; i++)
      await h.api('paula', 'POST', `/api/rooms/${roomId}/messages`, { content: `p${i}` });
    const contents = (body: { messages: Array<{ content: string }> }) => body.messages.map((m) => m.content);

    const newest = await h.api('paula', 'GET', `/api/rooms/${roomId}/messages?limit=3`);
    expect(contents(newest.body)).toEqual(['p5', 'p6', 'p7']);
    expect(newest.body.has_more).toBe(true);
    const older = await h.api('paula', 'GET', `/api/rooms/${roomId}/messages?limit=3&before_seq=5`);
    expect(contents(older.body)).toEqual(['p2', 'p3', 'p4']);
    const after = await h.api('paula', 'GET', `/api/rooms/${roomId}/messages?limit=3&after_seq=5`);
    expect(contents(after.body)).toEqual(['p6', 'p7']);
    expect(after.body.has_more).toBe(false);
    const beforeTime = await h.api(
      'paula',
      'GET',
      `/api/rooms/${roomId}/messages?before=2000-01-01T00:00:00Z`,
    );
    expect(contents(beforeTime.body)).toEqual([]);
    expect((await h.api('paula', 'GET', `/api/rooms/${roomId}/messages?limit=0`)).status).toBe(400);
  });
});
