import type { ServerFrameOf } from '@chat/contracts';
import { eventually, type TestSocket } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { join, messagesIn } from './harness';

const BURST = 500;
const IN_FLIGHT = 20;
const KILL_AFTER_ACKS = 150;

type Ack = ServerFrameOf<'ack'>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a careful client does: send, and until the ack comes, resend with the same client_msg_id
 * (on a `timeout` or `unavailable` error, or silence; after a pause when rate-limited). The
 * command id makes resends harmless.
 */
const sendUntilAcked = async (socket: TestSocket, roomId: string, clientMsgId: string, content: string) => {
  for (let attempt = 1; attempt <= 20; attempt++) {
    const answer = socket.next(
      (f) =>
        (f.type === 'ack' && f.client_msg_id === clientMsgId) ||
        (f.type === 'error' && f.ref === clientMsgId),
      15_000,
      socket.frames.length,
    );
    socket.send({
      type: 'send_message',
      room_id: roomId,
      content,
      message_type: 'text',
      client_msg_id: clientMsgId,
    });
    const frame = await answer.catch(() => null);
    if (frame?.type === 'ack') return frame as Ack;
    if (frame?.type === 'error' && frame.code === 'rate_limited') await sleep(1_000);
    // Shed while the restarted service catches up: send again after the time it names, as the SDK does.
    else if (frame?.type === 'error' && frame.code === 'overloaded')
      await sleep(frame.retry_after_ms ?? 1_000);
    else if (frame?.type === 'error' && !['timeout', 'unavailable'].includes(frame.code)) {
      throw new Error(`refused: ${JSON.stringify(frame)}`);
    }
  }
  throw new Error(`${clientMsgId} never acknowledged`);
};

const history = async (fleet: Fleet, userId: string, roomId: string) => {
  const messages: { seq: number; client_msg_id: string | null; content: string }[] = [];
  for (;;) {
    const after = messages.at(-1)?.seq ?? 0;
    const page = await fleet.api(userId, 'GET', `/api/rooms/${roomId}/messages?after_seq=${after}&limit=100`);
    expect(page.status).toBe(200);
    messages.push(...page.body.messages);
    if (!page.body.has_more) return messages;
  }
};

fleetScenario('kill -9 of the message service in the middle of a burst', (servers) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(servers, { CHAT_RATE_LIMITING__MESSAGES_PER_MINUTE: '100000' });
  });
  afterAll(() => fleet.stop());

  it(`loses nothing and doubles nothing of ${BURST} messages`, async () => {
    const room = await fleet.api('writer', 'POST', '/api/rooms', { name: 'burst', members: ['reader'] });
    const roomId = room.body.room_id as string;
    const writer = await fleet.connectTo(0, 'writer');
    const reader = await fleet.connectTo(1, 'reader');
    await join(writer, roomId);
    await join(reader, roomId);

    const acks = new Map<string, Ack>();
    const ids = Array.from({ length: BURST }, (_, i) => `burst-${i + 1}`);
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < ids.length) {
        const id = ids[nextIndex++]!;
        acks.set(id, await sendUntilAcked(writer, roomId, id, `message ${id}`));
      }
    };
    let ackedBeforeKill = 0;
    const crash = (async () => {
      while (acks.size < KILL_AFTER_ACKS) await sleep(5);
      ackedBeforeKill = acks.size;
      await fleet.restartService('message', 'SIGKILL');
    })();
    await Promise.all([...Array.from({ length: IN_FLIGHT }, worker), crash]);

    expect(ackedBeforeKill).toBeLessThan(BURST - IN_FLIGHT);
    expect(acks.size).toBe(BURST);
    const seqs = [...acks.values()].map((ack) => ack.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: BURST }, (_, i) => i + 1));

    // Live delivery to a member on the other gateway: every message once, in seq order.
    await reader.next((f) => f.type === 'message' && f.room_id === roomId && f.seq === BURST, 30_000);
    const delivered = messagesIn(reader, roomId);
    expect(delivered.map((m) => m.seq)).toEqual(seqs);
    for (const message of delivered) expect(acks.get(message.client_msg_id!)?.seq).toBe(message.seq);

    // History: the same messages, once each, once the projection has caught up with the replay.
    const stored = await eventually(
      async () => {
        const messages = await history(fleet, 'reader', roomId);
        expect(messages.map((m) => m.seq)).toEqual(seqs);
        return messages;
      },
      90_000,
      500,
    );
    expect(new Set(stored.map((m) => m.client_msg_id)).size).toBe(BURST);

    // A member resuming from the start gets them all, in order.
    const late = await fleet.connect('reader');
    await join(late, roomId, 0);
    await late.next((f) => f.type === 'message' && f.room_id === roomId && f.seq === BURST, 30_000);
    expect(messagesIn(late, roomId).map((m) => m.seq)).toEqual(seqs);
    for (const socket of [writer, reader, late]) socket.close();
  });
});
