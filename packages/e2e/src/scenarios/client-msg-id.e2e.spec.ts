import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, sendAndAck, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('one client_msg_id is one message, over WebSocket and REST alike', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '1000' });
  });
  afterAll(() => h.stop());

  const newRoom = async (owner: string, name: string): Promise<string> => {
    const created = await h.api(owner, 'POST', '/api/rooms', { name });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };

  const post = (userId: string, roomId: string, content: string, clientMsgId: string) =>
    h.api(userId, 'POST', `/api/rooms/${roomId}/messages`, { content, client_msg_id: clientMsgId });

  const historyOf = async (roomId: string, viewer: string) => {
    const history = await h.api(viewer, 'GET', `/api/rooms/${roomId}/messages`);
    expect(history.status).toBe(200);
    return history.body.messages as { message_id: string; seq: number; sender_id: string; content: string }[];
  };

  it('answers a REST post repeating a WebSocket send with the original, stored once', async () => {
    const roomId = await newRoom('walt', 'ws-then-rest');
    const socket = await h.connect('walt');
    await join(socket, roomId);
    const ack = await sendAndAck(socket, roomId, 'said once', 'x');

    const repeated = await post('walt', roomId, 'said once', 'x');
    expect(repeated.status).toBe(201);
    expect(repeated.body).toMatchObject({ message_id: ack.message_id, seq: ack.seq, duplicate: true });
    await eventually(async () =>
      expect((await historyOf(roomId, 'walt')).map((m) => m.message_id)).toEqual([ack.message_id]),
    );
    socket.close();
  });

  it('acks a WebSocket send repeating a REST post with the original; members get it once', async () => {
    const roomId = await newRoom('rita', 'rest-then-ws');
    const reader = await h.connect('reader');
    await join(reader, roomId);
    const firstAtReader = reader.nextOfType('message', 5_000, (m) => m.room_id === roomId);

    const posted = await post('rita', roomId, 'said once', 'x');
    expect(posted).toMatchObject({ status: 201, body: { duplicate: false } });
    expect(await firstAtReader).toMatchObject({ message_id: posted.body.message_id, seq: posted.body.seq });

    const socket = await h.connect('rita');
    await join(socket, roomId);
    const ack = await sendAndAck(socket, roomId, 'said once', 'x');
    expect(ack).toMatchObject({ message_id: posted.body.message_id, seq: posted.body.seq });

    // Fan-out keeps the room's order: had the repeat been fanned out, it would come before this.
    const marker = reader.nextOfType('message', 5_000, (m) => m.content === 'marker');
    await sendAndAck(socket, roomId, 'marker');
    await marker;
    expect(
      reader.ofType('message').filter((m) => m.room_id === roomId && m.client_msg_id === 'x'),
    ).toHaveLength(1);
    await eventually(async () =>
      expect((await historyOf(roomId, 'rita')).map((m) => m.content)).toEqual(['said once', 'marker']),
    );
    socket.close();
    reader.close();
  });

  it("keeps a client_msg_id naming another user's send apart from it; the room keeps working", async () => {
    const roomId = await newRoom('carol', 'look-alike-ids');
    const bob = await h.connect('bob');
    const bobs = await sendAndAck(bob, roomId, 'from bob', 'x');

    const eves = await post('eve', roomId, 'from eve', 'bob:x');
    expect(eves).toMatchObject({ status: 201, body: { duplicate: false, seq: bobs.seq + 1 } });
    expect(eves.body.message_id).not.toBe(bobs.message_id);

    const carol = await h.connect('carol');
    expect((await sendAndAck(carol, roomId, 'from carol')).seq).toBe(bobs.seq + 2);
    await eventually(async () =>
      expect((await historyOf(roomId, 'carol')).map((m) => [m.sender_id, m.content])).toEqual([
        ['bob', 'from bob'],
        ['eve', 'from eve'],
        ['carol', 'from carol'],
      ]),
    );
    bob.close();
    carol.close();
  });

  it("keeps user ids holding ':' apart: ('a:b', 'c') and ('a', 'b:c') are two sends", async () => {
    const roomId = await newRoom('carol', 'colons');
    const [ab, a, carol] = await Promise.all([h.connect('a:b'), h.connect('a'), h.connect('carol')]);
    const first = await sendAndAck(ab, roomId, "from 'a:b'", 'c');
    const second = await sendAndAck(a, roomId, "from 'a'", 'b:c');
    expect(second.message_id).not.toBe(first.message_id);
    expect(second.seq).toBe(first.seq + 1);
    const overRest = await post('a', roomId, "from 'a' over REST", 'b:c');
    expect(overRest.body).toMatchObject({ message_id: second.message_id, duplicate: true });

    expect((await sendAndAck(carol, roomId, 'from carol')).seq).toBe(first.seq + 2);
    for (const socket of [ab, a, carol]) socket.close();
  });
});
