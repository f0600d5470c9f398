import type { ServerFrame } from '@chat/contracts';
import { TestSocket } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Harness } from '../harness';
import { onFleet, scenario, startHarness } from '../target';

/**
 * Sockets that each write `authenticate`, `join_room` and `send_message` in one go. Fewer on the
 * fleet, whose message service decides commands more slowly.
 */
const BURSTS = onFleet ? 50 : 200;
const PIPELINED_SENDS = 50;

/**
 * The answers to a socket's own frames, in the order received: `authenticated`, `room_joined`,
 * `ack`, or an error refusing one of them (a refused join shows as a missing `room_joined`). A
 * join that the gateway handles after fanning out the room's newer messages goes on to resume
 * from history; how that ends is not about frame order, and `resume.e2e` covers it.
 */
const answers = (socket: TestSocket) =>
  socket.frames.flatMap((frame: ServerFrame) => {
    if (frame.type === 'authenticated' || frame.type === 'room_joined' || frame.type === 'ack')
      return [frame.type];
    const refusal = frame.type === 'error' && (frame.ref !== 'join_room' || frame.code === 'unauthenticated');
    return refusal ? [`error ${frame.code}`] : [];
  });

/** The answer to the send with this client id: its ack, or the error refusing it. */
const answerTo = (socket: TestSocket, clientMsgId: string, timeoutMs: number) =>
  socket.next(
    (frame) =>
      (frame.type === 'ack' && frame.client_msg_id === clientMsgId) ||
      (frame.type === 'error' && frame.ref === clientMsgId),
    timeoutMs,
  );

scenario('frames of a connection are handled in the order written', () => {
  let h: Harness;
  beforeAll(async () => {
    // The bursts' sockets stand for clients on many addresses; here they all come from loopback.
    h = await startHarness({
      CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '1000',
      CHAT_WEBSOCKET__MAX_UNAUTHENTICATED_PER_ADDRESS: String(BURSTS),
    });
  });
  afterAll(() => h.stop());

  /** A public room; each has its own owner, as a user may create only a few a day. */
  const newRoom = async (owner: string): Promise<string> => {
    const created = await h.api(owner, 'POST', '/api/rooms', { name: 'frame order' });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };

  it('answers authenticate, join_room and send_message written without waiting, in that order', async () => {
    const users = Array.from({ length: BURSTS }, (_, i) => `burst-${i}`);
    // A room for each socket: the bursts are decided side by side, not queued behind one room's
    // single writer (on the fleet, hundreds there would outlast the gateway's command timeout).
    const roomIds = await Promise.all(users.map((user) => newRoom(`${user}-host`)));
    const tokens = await Promise.all(users.map((user) => h.token(user)));
    const sockets = await Promise.all(users.map(() => TestSocket.open(h.wsUrl)));
    sockets.forEach((socket, i) => {
      const roomId = roomIds[i];
      socket.send({ type: 'authenticate', token: tokens[i] });
      socket.send({ type: 'join_room', room_id: roomId });
      socket.send({ type: 'send_message', room_id: roomId, content: `burst ${i}`, client_msg_id: users[i] });
    });
    await Promise.all(sockets.map((socket, i) => answerTo(socket, users[i]!, 15_000)));
    for (const socket of sockets) expect(answers(socket)).toEqual(['authenticated', 'room_joined', 'ack']);
    for (const socket of sockets) socket.close();
  });

  it(`acks ${PIPELINED_SENDS} sends written with authenticate in one go, in order, with consecutive seqs`, async () => {
    const roomId = await newRoom('pipeline-host');
    const socket = await TestSocket.open(h.wsUrl);
    const clientMsgIds = Array.from({ length: PIPELINED_SENDS }, (_, i) => `pipelined-${i}`);
    socket.send({ type: 'authenticate', token: await h.token('pipeliner') });
    for (const [i, clientMsgId] of clientMsgIds.entries()) {
      socket.send({
        type: 'send_message',
        room_id: roomId,
        content: `message ${i}`,
        client_msg_id: clientMsgId,
      });
    }
    await answerTo(socket, clientMsgIds.at(-1)!, 15_000);
    const acks = socket.ofType('ack');
    expect(answers(socket)).toEqual(['authenticated', ...clientMsgIds.map(() => 'ack')]);
    expect(acks.map((ack) => ack.client_msg_id)).toEqual(clientMsgIds);
    expect(acks.map((ack) => ack.seq)).toEqual(clientMsgIds.map((_, i) => acks[0]!.seq + i));
    socket.close();
  });
});
