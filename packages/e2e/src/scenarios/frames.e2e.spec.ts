import { CloseCode } from '@chat/contracts';
import { eventually, TestSocket } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendAndAck, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('bad input never breaks a connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '5',
      CHAT_WEBSOCKET__MAX_UNAUTHENTICATED_PER_ADDRESS: '5',
    });
  });
  afterAll(() => h.stop());

  it('answers malformed JSON, a non-object, an unknown type and a missing field with errors', async () => {
    const socket = await h.connect('alice');
    socket.sendRaw('{not json');
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_frame', ref: null });
    socket.sendRaw('[1,2,3]');
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_frame' });
    socket.send({ type: 'teleport', room_id: 'general' });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'unknown_type', ref: 'teleport' });
    socket.send({ type: 'send_message', room_id: 'general', client_msg_id: 'm1' });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_frame', ref: 'm1' });
    socket.sendRaw(Buffer.from([1, 2, 3]));
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'invalid_frame' });
    expect((await sendAndAck(socket, 'general', 'still here')).seq).toBeGreaterThan(0);
    socket.close();
  });

  it('refuses content over max_message_length and keeps the connection', async () => {
    const socket = await h.connect('bob');
    socket.send({
      type: 'send_message',
      room_id: 'general',
      content: 'x'.repeat(4097),
      client_msg_id: 'long',
    });
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'content_too_long', ref: 'long' });
    const ok = await sendAndAck(socket, 'general', 'x'.repeat(4096));
    expect(ok.seq).toBeGreaterThan(0);
    socket.close();
  });

  it('refuses a frame over max_frame_bytes with frame_too_large and keeps the connection', async () => {
    const socket = await h.connect('carol');
    socket.sendRaw(JSON.stringify({ type: 'send_message', room_id: 'general', content: 'y'.repeat(40_000) }));
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'frame_too_large', ref: null });
    expect((await sendAndAck(socket, 'general', 'still usable')).seq).toBeGreaterThan(0);
    socket.close();
  });

  it('drops a connection that sends a frame over the hard limit, and keeps serving others', async () => {
    const socket = await h.connect('carol');
    socket.sendRaw('z'.repeat(2 * 1024 * 1024));
    expect(await socket.waitForClose()).toBe(CloseCode.abnormal);
    const again = await h.connect('carol');
    expect((await sendAndAck(again, 'general', 'back')).seq).toBeGreaterThan(0);
    again.close();
  });

  it('answers a flood of malformed frames a few times, then closes the connection', async () => {
    // On a gateway itself: an edge in between may cut the socket without relaying the close code
    // while the client is still writing.
    const socket = await TestSocket.authenticated(h.oneGatewayWsUrl, await h.token('mallory'));
    for (let i = 0; i < 300; i++) socket.sendRaw('{not json');
    expect(await socket.waitForClose()).toBe(CloseCode.tooManyRefusedFrames);
    expect(socket.ofType('error').length).toBeLessThanOrEqual(10);
  });

  it('refuses more unauthenticated sockets from one address than the cap, until one authenticates', async () => {
    // The cap is each gateway's: behind the fleet's edge, sockets would spread over two.
    const url = h.oneGatewayWsUrl;
    const waiting = await Promise.all(Array.from({ length: 5 }, () => TestSocket.open(url)));
    await expect(TestSocket.open(url)).rejects.toThrow(/429/);
    waiting[0]!.send({ type: 'authenticate', token: await h.token('patient') });
    await waiting[0]!.nextOfType('authenticated');
    const admitted = await TestSocket.open(url);
    for (const socket of [...waiting, admitted]) socket.close();
  });

  it('rate-limits messages_per_minute per user with rate_limited, then recovers nothing lost', async () => {
    const socket = await h.connect('dave');
    const acks = [];
    for (let i = 0; i < 5; i++) acks.push(await sendAndAck(socket, 'general', `m${i}`, `d${i}`));
    socket.send({ type: 'send_message', room_id: 'general', content: 'one too many', client_msg_id: 'd5' });
    expect(await socket.nextOfType('error')).toMatchObject({
      code: 'rate_limited',
      ref: 'd5',
      retry_after_ms: expect.any(Number),
    });
    // One budget, whichever way the user sends: REST is refused too.
    expect(
      await h.api('dave', 'POST', '/api/rooms/general/messages', {
        content: 'over REST',
        client_msg_id: 'd6',
      }),
    ).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    const seqs = acks.map((ack) => ack.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await eventually(async () => {
      const history = await h.api(
        'dave',
        'GET',
        `/api/rooms/general/messages?after_seq=${seqs[0]! - 1}&limit=200`,
      );
      const mine = history.body.messages.filter((m: { sender_id: string }) => m.sender_id === 'dave');
      expect(mine.map((m: { content: string }) => m.content)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    });
    socket.close();
  });
});
