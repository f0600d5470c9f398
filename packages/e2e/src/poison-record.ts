import { DeadLetterHeaders, deadLetterTopic, type Bus, type IncomingRecord } from '@chat/bus';
import { Topics } from '@chat/contracts';
import { eventually } from '@chat/testkit';
import { expect } from 'vitest';
import { join, sendAndAck, type Harness } from './harness';

/** The platform's own bus, and where each of its processes answers readiness. */
export interface PlatformInternals {
  bus: Bus;
  readyzUrls: string[];
}

/** Every group that consumes `message.events` and must skip a record it cannot read. */
const EVENT_CONSUMERS = ['message-read-model', 'search-index', 'notification-message-events'];

/**
 * A record nobody can read lands on `message.events`, in the partition of a busy room, as a
 * crafted or corrupted record would. Every consumer of that partition dead-letters it with its
 * error and moves on: the room's next message is acked, delivered live, in history and found by
 * search. While the consumers retry it, readiness names the stuck consumer (the platform runs with
 * a stall threshold of a fraction of a second); once it is dead-lettered, the platform is ready.
 */
export const expectPoisonRecordDeadLettered = async (h: Harness, platform: PlatformInternals) => {
  const created = await h.api('pia', 'POST', '/api/rooms', {
    name: 'poison',
    private: true,
    members: ['quin'],
  });
  const roomId = created.body.room_id as string;
  const writer = await h.connect('pia');
  const reader = await h.connect('quin');
  await join(reader, roomId);
  await sendAndAck(writer, roomId, 'before the poison');

  const readiness: { status: number; body: string }[] = [];
  let watching = true;
  const watch = (async () => {
    while (watching) {
      for (const url of platform.readyzUrls) {
        const response = await fetch(url);
        readiness.push({ status: response.status, body: await response.text() });
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();

  const poison = '{"type":"MessageSent","stream":"room-' + roomId + '","revision":';
  await platform.bus.publish(Topics.messageEvents, [
    { key: roomId, value: poison, headers: { correlation_id: 'poison' } },
  ]);
  const after = await sendAndAck(writer, roomId, 'after the poison');
  await reader.next((frame) => frame.type === 'message' && frame.seq === after.seq, 15_000);
  await eventually(async () => {
    const history = await h.api('quin', 'GET', `/api/rooms/${roomId}/messages?limit=10`);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual([
      'before the poison',
      'after the poison',
    ]);
    const found = await h.api('quin', 'GET', `/api/search/messages?q=after&room_id=${roomId}`);
    expect(found.body.hits.map((hit: { content: string }) => hit.content)).toEqual(['after the poison']);
  }, 15_000);

  const dead: IncomingRecord[] = [];
  const deadLetters = await platform.bus.consume({
    groupId: `poison-check-${crypto.randomUUID()}`,
    topics: [deadLetterTopic(Topics.messageEvents)],
    handleBatch: async ({ records }) => void dead.push(...records.filter((r) => r.value === poison)),
  });
  await eventually(() => {
    const groups = dead.map((record) => record.headers[DeadLetterHeaders.group]);
    for (const group of EVENT_CONSUMERS) expect(groups).toContain(group);
    // The gateways' fan-out groups are named after their instances.
    expect(groups.some((group) => group?.endsWith('.fanout'))).toBe(true);
  }, 15_000);
  for (const record of dead) {
    expect(record.key).toBe(roomId);
    expect(record.headers.correlation_id).toBe('poison');
    expect(record.headers[DeadLetterHeaders.error]).toMatch(/JSON/);
  }
  await deadLetters.stop();

  await eventually(async () => {
    for (const url of platform.readyzUrls) expect((await fetch(url)).status).toBe(200);
  }, 10_000);
  watching = false;
  await watch;
  const stuck = readiness.filter(
    ({ status, body }) => status === 503 && body.includes('stuck at message.events/'),
  );
  expect(stuck.length).toBeGreaterThan(0);
  writer.close();
  reader.close();
};
