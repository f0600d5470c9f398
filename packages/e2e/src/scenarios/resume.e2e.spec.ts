import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, messagesIn, sendAndAck, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('resume after a reconnect', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '1000' });
  });
  afterAll(() => h.stop());

  it('delivers exactly the missed messages in order, then the live stream', async () => {
    const room = await h.api('writer', 'POST', '/api/rooms', { name: 'resume', members: ['reader'] });
    const roomId = room.body.room_id as string;
    const writer = await h.connect('writer');
    let reader = await h.connect('reader');
    await join(writer, roomId);
    await join(reader, roomId);
    for (let i = 1; i <= 3; i++) await sendAndAck(writer, roomId, `seen ${i}`);
    await reader.next((f) => f.type === 'message' && f.content === 'seen 3');
    const lastSeen = Math.max(...messagesIn(reader, roomId).map((m) => m.seq));
    expect(lastSeen).toBe(3);
    reader.close();
    await reader.waitForClose();

    for (let i = 1; i <= 20; i++) await sendAndAck(writer, roomId, `missed ${i}`);
    reader = await h.connect('reader');
    const joined = await join(reader, roomId, lastSeen);
    expect(joined.last_seq).toBe(23);
    // Live messages sent while the resume is in flight must neither be lost nor doubled.
    const live = Array.from({ length: 10 }, (_, i) => sendAndAck(writer, roomId, `live ${i + 1}`));
    await Promise.all(live);
    await reader.next((f) => f.type === 'message' && f.room_id === roomId && f.seq === 33, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would have arrived by now
    const received = messagesIn(reader, roomId);
    expect(received.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 4));
    expect(received.slice(0, 20).map((m) => m.content)).toEqual(
      Array.from({ length: 20 }, (_, i) => `missed ${i + 1}`),
    );
    writer.close();
    reader.close();
  });

  it('resumes from 0 with the whole history and refuses a non-member', async () => {
    const room = await h.api('sol', 'POST', '/api/rooms', { name: 'from-zero', private: true });
    const roomId = room.body.room_id as string;
    const sol = await h.connect('sol');
    for (let i = 1; i <= 5; i++) await sendAndAck(sol, roomId, `h${i}`);
    sol.close();
    const again = await h.connect('sol');
    await join(again, roomId, 0);
    await again.next((f) => f.type === 'message' && f.room_id === roomId && f.seq === 5);
    expect(messagesIn(again, roomId).map((m) => m.content)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
    const outsider = await h.connect('outsider');
    outsider.send({ type: 'join_room', room_id: roomId, last_seq: 0 });
    expect(await outsider.nextOfType('error')).toMatchObject({ code: 'room_not_found' });
    expect(messagesIn(outsider, roomId)).toEqual([]);
    again.close();
    outsider.close();
  });
});
