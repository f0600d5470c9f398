import { ChatClient, ChatError } from '@chat/client';
import { eventually } from '@chat/testkit';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, messagesIn, sendAndAck, type ApiResponse, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('direct messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /** Users of their own for each test: the suite shares one platform. */
  const user = (name: string) => `${name}-${crypto.randomUUID().slice(0, 6)}`;
  const openDirect = (userId: string, otherId: unknown) =>
    h.api(userId, 'POST', '/api/dms', { user_id: otherId });
  const roomIds = (response: ApiResponse) =>
    (response.body.rooms as { room_id: string }[]).map((r) => r.room_id);

  it('gives a pair one room whoever asks first: 201 when opened, 200 after', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const first = await openDirect(ben, ann);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'direct', members: [ann, ben].sort() });
    const roomId = first.body.room_id as string;
    expect(await openDirect(ann, ben)).toMatchObject({
      status: 200,
      body: { room_id: roomId, kind: 'direct' },
    });
    expect(await openDirect(ben, ann)).toMatchObject({ status: 200, body: { room_id: roomId } });
    const other = await openDirect(ann, user('cal'));
    expect(other.status).toBe(201);
    expect(other.body.room_id).not.toBe(roomId);
  });

  it('opens one room when both ask at once', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const answers = await Promise.all([openDirect(ann, ben), openDirect(ben, ann), openDirect(ann, ben)]);
    expect(new Set(answers.map((answer) => answer.body.room_id)).size).toBe(1);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 201]);
    const members = await h.api(ann, 'GET', `/api/rooms/${answers[0]!.body.room_id}/members`);
    expect(members.body.members.map((m: { user_id: string }) => m.user_id)).toEqual([ann, ben].sort());
  });

  it('tells every socket of both users with room_added, and carries their messages', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const sockets = await Promise.all([h.connect(ann), h.connect(ann), h.connect(ben), h.connect(ben)]);
    const added = sockets.map((socket) => socket.nextOfType('room_added', 10_000));
    const opened = await openDirect(ann, ben);
    const roomId = opened.body.room_id as string;
    for (const frame of await Promise.all(added)) {
      expect(frame).toEqual({
        type: 'room_added',
        room_id: roomId,
        kind: 'direct',
        members: [ann, ben].sort(),
      });
    }

    const [annSocket, , benSocket] = sockets;
    await join(annSocket!, roomId);
    await join(benSocket!, roomId);
    const atBen = benSocket!.nextOfType('message', 10_000, (m) => m.content === 'hello ben');
    const ack = await sendAndAck(annSocket!, roomId, 'hello ben');
    expect(await atBen).toMatchObject({ room_id: roomId, seq: ack.seq, sender_id: ann });
    await eventually(async () => {
      const history = await h.api(ben, 'GET', `/api/rooms/${roomId}/messages`);
      expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['hello ben']);
    });
    for (const socket of sockets) socket.close();
  });

  it('refuses anyone else: not found to them, and fixed members to its own', async () => {
    const [ann, ben, eve] = [user('ann'), user('ben'), user('eve')];
    const roomId = (await openDirect(ann, ben)).body.room_id as string;
    await h.api(ann, 'POST', `/api/rooms/${roomId}/messages`, { content: 'just us' });

    const eveSocket = await h.connect(eve);
    eveSocket.send({ type: 'join_room', room_id: roomId });
    expect(await eveSocket.nextOfType('error')).toMatchObject({ code: 'room_not_found', ref: 'join_room' });
    eveSocket.close();
    for (const [method, path, body] of [
      ['GET', `/api/rooms/${roomId}`],
      ['GET', `/api/rooms/${roomId}/messages`],
      ['POST', `/api/rooms/${roomId}/join`],
      ['POST', `/api/rooms/${roomId}/members`, { user_id: eve }],
      ['PUT', `/api/rooms/${roomId}`, { name: 'mine' }],
    ] as const) {
      expect(await h.api(eve, method, path, body)).toMatchObject({
        status: 404,
        body: { code: 'room_not_found' },
      });
    }
    expect(roomIds(await h.api(eve, 'GET', '/api/rooms'))).not.toContain(roomId);

    for (const [method, path, body] of [
      ['POST', `/api/rooms/${roomId}/members`, { user_id: eve }],
      ['PUT', `/api/rooms/${roomId}`, { name: 'ours' }],
      ['DELETE', `/api/rooms/${roomId}`],
      ['DELETE', `/api/rooms/${roomId}/members/${ben}`],
    ] as const) {
      expect(await h.api(ann, method, path, body)).toMatchObject({
        status: 403,
        body: { code: 'forbidden' },
      });
    }
    const members = await h.api(ben, 'GET', `/api/rooms/${roomId}/members`);
    expect(members.body.members).toHaveLength(2);
  });

  it('opens notes to self with one member', async () => {
    const ann = user('ann');
    const socket = await h.connect(ann);
    const added = socket.nextOfType('room_added', 10_000);
    const opened = await openDirect(ann, ann);
    expect(opened).toMatchObject({ status: 201, body: { kind: 'direct', members: [ann] } });
    expect(await added).toMatchObject({ room_id: opened.body.room_id, members: [ann] });
    expect(await openDirect(ann, ann)).toMatchObject({ status: 200, body: { room_id: opened.body.room_id } });
    await join(socket, opened.body.room_id);
    const sent = await sendAndAck(socket, opened.body.room_id, 'remember the milk');
    // On the fleet the message comes back through Kafka, possibly after the ack.
    await socket.next(
      (frame) => frame.type === 'message' && frame.room_id === opened.body.room_id && frame.seq === sent.seq,
      10_000,
    );
    expect(messagesIn(socket, opened.body.room_id)).toHaveLength(1);
    socket.close();
  });

  it('refuses a blank or over-long user id as invalid_request', async () => {
    const ann = user('ann');
    for (const otherId of ['', '   ', 'x'.repeat(129), null]) {
      expect(await openDirect(ann, otherId)).toMatchObject({
        status: 400,
        body: { code: 'invalid_request' },
      });
    }
    expect((await h.api(ann, 'POST', '/api/dms', {})).body).toMatchObject({ code: 'invalid_request' });
    expect((await openDirect(ann, 'x'.repeat(128))).status).toBe(201);
  });

  it('lists rooms with their kind, and a direct room with its members', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const roomId = (await openDirect(ann, ben)).body.room_id as string;
    const listed = (await h.api(ann, 'GET', '/api/rooms')).body.rooms as { room_id: string; kind: string }[];
    expect(listed).toContainEqual(
      expect.objectContaining({ room_id: roomId, kind: 'direct', private: true, members: [ann, ben].sort() }),
    );
    const general = listed.find((room) => room.room_id === 'general');
    expect(general).toMatchObject({ kind: 'group' });
    expect(general).not.toHaveProperty('members');
    expect(await h.api(ben, 'GET', `/api/rooms/${roomId}`)).toMatchObject({
      status: 200,
      body: { kind: 'direct', member_count: 2, role: 'member', members: [ann, ben].sort() },
    });
  });

  it('finds a direct room’s messages in search for its members only', async () => {
    const [ann, ben, eve] = [user('ann'), user('ben'), user('eve')];
    const word = `w${crypto.randomUUID().slice(0, 8)}`;
    const roomId = (await openDirect(ann, ben)).body.room_id as string;
    await h.api(ben, 'POST', `/api/rooms/${roomId}/messages`, { content: `secret ${word}` });
    const search = (userId: string, params: Record<string, string> = {}) =>
      h.api(userId, 'GET', `/api/search/messages?${new URLSearchParams({ q: word, ...params })}`);
    await eventually(async () => {
      const found = await search(ann);
      expect(found.body.hits).toEqual([expect.objectContaining({ room_id: roomId, sender_id: ben })]);
    });
    expect((await search(eve)).body.hits).toEqual([]);
    expect(await search(eve, { room_id: roomId })).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });
  });

  it('opens a direct room from the SDK, which hears room_added on both clients', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const clientFor = (userId: string) =>
      new ChatClient({ url: h.wsUrl, apiUrl: h.apiUrl, token: () => h.token(userId), WebSocket });
    const [annClient, benClient] = [clientFor(ann), clientFor(ben)];
    await Promise.all([annClient.connect(), benClient.connect()]);
    const heard = (client: ChatClient) =>
      new Promise((resolve) => client.on('room_added', (room) => resolve(room)));
    const added = [heard(annClient), heard(benClient)];
    const room = await annClient.openDirect(ben);
    expect(room).toMatchObject({ kind: 'direct', members: [ann, ben].sort() });
    for (const frame of await Promise.all(added)) {
      expect(frame).toEqual({ room_id: room.room_id, kind: 'direct', members: [ann, ben].sort() });
    }
    expect((await benClient.openDirect(ann)).room_id).toBe(room.room_id);
    await benClient.join(room.room_id);
    expect((await annClient.send(room.room_id, 'via the SDK')).room_id).toBe(room.room_id);
    await expect(annClient.openDirect('')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(annClient.openDirect('')).rejects.toBeInstanceOf(ChatError);
    annClient.close();
    benClient.close();
  });
});
