import { TestSocket, eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, sendAndAck, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('messaging over WebSocket', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '1000' });
  });
  afterAll(() => h.stop());

  it("runs the specification's Quick Start as written", async () => {
    const socket = await TestSocket.open(h.wsUrl);
    socket.send({ type: 'authenticate', token: await h.token('newcomer') });
    await socket.nextOfType('authenticated');
    const ack = socket.nextOfType('ack');
    socket.send('{"type": "send_message", "room_id": "general", "content": "Hello!"}');
    expect(await ack).toMatchObject({ type: 'ack', room_id: 'general', client_msg_id: null });
    socket.close();
  });

  it('fans a message out to every member of the room, with the same seq', async () => {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((user) => h.connect(user)));
    await Promise.all([alice, bob, carol].map((socket) => join(socket!, 'general')));
    const atBob = bob!.nextOfType('message', 5_000, (m) => m.content === 'fan-out');
    const atCarol = carol!.nextOfType('message', 5_000, (m) => m.content === 'fan-out');
    const ack = await sendAndAck(alice!, 'general', 'fan-out', 'fan-1');
    for (const frame of await Promise.all([atBob, atCarol])) {
      expect(frame).toMatchObject({
        room_id: 'general',
        message_id: ack.message_id,
        seq: ack.seq,
        sender_id: 'alice',
        content: 'fan-out',
        message_type: 'text',
        client_msg_id: 'fan-1',
      });
    }
    for (const socket of [alice, bob, carol]) socket!.close();
  });

  it('delivers a burst of 50 to another member in order and gap-free', async () => {
    const room = await h.api('sender', 'POST', '/api/rooms', { name: 'burst', members: ['reader'] });
    expect(room.status).toBe(201);
    const roomId = room.body.room_id as string;
    const [sender, reader] = await Promise.all([h.connect('sender'), h.connect('reader')]);
    await join(sender, roomId);
    await join(reader, roomId);
    const from = reader.frames.length;
    for (let i = 0; i < 50; i++) {
      sender.send({ type: 'send_message', room_id: roomId, content: `burst ${i}`, client_msg_id: `b${i}` });
    }
    await eventually(() =>
      expect(reader.frames.slice(from).filter((f) => f.type === 'message')).toHaveLength(50),
    );
    const received = reader.frames.slice(from).flatMap((frame) => (frame.type === 'message' ? [frame] : []));
    expect(received.map((m) => m.content)).toEqual(Array.from({ length: 50 }, (_, i) => `burst ${i}`));
    expect(received.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await eventually(() => expect(sender.ofType('ack').filter((a) => a.room_id === roomId)).toHaveLength(50));
    sender.close();
    reader.close();
  });

  it('answers a repeated client_msg_id with the original message and stores it once', async () => {
    const room = await h.api('ivan', 'POST', '/api/rooms', { name: 'idempotency' });
    const roomId = room.body.room_id as string;
    const socket = await h.connect('ivan');
    await join(socket, roomId);
    const first = await sendAndAck(socket, roomId, 'only once', 'same-id');
    const second = await sendAndAck(socket, roomId, 'only once', 'same-id');
    expect(second).toEqual(first);
    const next = await sendAndAck(socket, roomId, 'next', 'other-id');
    expect(next.seq).toBe(first.seq + 1);
    await eventually(async () => {
      const history = await h.api('ivan', 'GET', `/api/rooms/${roomId}/messages`);
      expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['only once', 'next']);
    });
    expect(socket.ofType('message').filter((m) => m.client_msg_id === 'same-id')).toHaveLength(1);
    socket.close();
  });

  it('lets a member leave: no more messages reach them', async () => {
    const room = await h.api('owner', 'POST', '/api/rooms', { name: 'leaving', members: ['leaver'] });
    const roomId = room.body.room_id as string;
    const [owner, leaver] = await Promise.all([h.connect('owner'), h.connect('leaver')]);
    await join(owner, roomId);
    await join(leaver, roomId);
    const left = leaver.nextOfType('room_left');
    leaver.send({ type: 'leave_room', room_id: roomId });
    await left;
    const seen = owner.nextOfType('message', 5_000, (m) => m.content === 'after leaving');
    await sendAndAck(owner, roomId, 'after leaving');
    await seen;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(leaver.ofType('message').some((m) => m.content === 'after leaving')).toBe(false);
    owner.close();
    leaver.close();
  });
});
