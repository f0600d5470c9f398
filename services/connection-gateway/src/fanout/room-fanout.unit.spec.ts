import type { EventRecord } from '@chat/contracts';
import type { TemplatedApp } from 'uWebSockets.js';
import { describe, expect, it } from 'vitest';
import type { GatewayMetrics } from '../metrics';
import { newConnection } from '../sessions/connection';
import type { Outbox } from '../sessions/outbox';
import { RoomFanout } from './room-fanout';

const messageIn = (roomId: string, seq: number): EventRecord => ({
  event_id: `${roomId}-${seq}`,
  type: 'MessageSent',
  stream: `room-${roomId}`,
  revision: seq,
  data: {
    room_id: roomId,
    message_id: `msg_${seq}`,
    seq,
    sender_id: 'alice',
    content: 'hi',
    message_type: 'text',
    client_msg_id: null,
    created_at: '2024-05-01T10:00:00.000Z',
  },
  metadata: { correlation_id: 'c', causation_id: 'c', actor_id: 'alice' },
  recorded_at: '2024-05-01T10:00:00.000Z',
});

const fanoutKeeping = (maxRooms: number) => {
  const count = { inc: () => {}, observe: () => {} };
  const app = { publish: () => true } as unknown as TemplatedApp;
  const metrics = { published: count, deliverySeconds: count } as unknown as GatewayMetrics;
  return new RoomFanout(app, {} as Outbox, metrics, maxRooms);
};

describe('the fan-out progress of rooms', () => {
  it('is kept for a bounded number of rooms, forgetting those nobody here is in, oldest first', () => {
    const fanout = fanoutKeeping(3);
    const reader = newConnection('c1', '127.0.0.1');
    reader.ws = { subscribe: () => true } as unknown as typeof reader.ws;
    fanout.publishEvent(messageIn('joined', 5));
    fanout.subscribe(reader, 'joined');
    for (let room = 0; room < 100; room++) fanout.publishEvent(messageIn(`r${room}`, 1));

    expect(fanout.roomsTracked).toBe(3);
    // The room a socket is in keeps its progress however long ago it was published to.
    expect(fanout.publishedSeq('joined')).toBe(5);
    expect(fanout.publishedSeq('r99')).toBe(1);
    expect(fanout.publishedSeq('r0')).toBe(0);
  });
});
