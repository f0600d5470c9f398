import type { EventRecord, MessageServiceEvent, ServerFrame } from '@chat/contracts';
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

const fanoutKeeping = (maxRooms: number, outbox = {} as Outbox) => {
  const count = { inc: () => {}, observe: () => {} };
  const app = { publish: () => true } as unknown as TemplatedApp;
  const metrics = {
    published: count,
    deliverySeconds: count,
    resumesFromRecent: count,
  } as unknown as GatewayMetrics;
  return new RoomFanout(app, outbox, metrics, maxRooms);
};

const eventIn = (roomId: string, revision: number, { type, data }: MessageServiceEvent): EventRecord => ({
  ...messageIn(roomId, revision),
  type,
  data,
});

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

describe('a member leaving a room', () => {
  const AT = '2024-05-01T10:00:00.000Z';
  const setUp = () => {
    const sent: { connectionId: string; frame: ServerFrame }[] = [];
    const outbox = {
      send: (connection: { id: string }, frame: ServerFrame) =>
        sent.push({ connectionId: connection.id, frame }),
    } as unknown as Outbox;
    const fanout = fanoutKeeping(10, outbox);
    const connect = (id: string, userId: string) => {
      const connection = newConnection(id, '127.0.0.1');
      connection.principal = { userId, isAdmin: false } as typeof connection.principal;
      connection.ws = { subscribe: () => true, unsubscribe: () => true } as unknown as typeof connection.ws;
      fanout.subscribe(connection, 'r1');
      return connection;
    };
    return { sent, fanout, bob: connect('c-bob', 'bob'), carol: connect('c-carol', 'carol') };
  };

  it('takes only their sockets off the room, telling them why: left, removed or banned', () => {
    const cases = [
      [
        { type: 'MemberLeft', data: { room_id: 'r1', user_id: 'bob', removed_by: 'bob', left_at: AT } },
        undefined,
      ],
      [
        { type: 'MemberLeft', data: { room_id: 'r1', user_id: 'bob', removed_by: 'mo', left_at: AT } },
        'removed',
      ],
      [
        {
          type: 'MemberBanned',
          data: { room_id: 'r1', user_id: 'bob', reason: null, until: null, banned_by: 'mo', banned_at: AT },
        },
        'banned',
      ],
    ] as const;
    for (const [event, reason] of cases) {
      const { sent, fanout, bob, carol } = setUp();
      fanout.publishEvent(eventIn('r1', 1, event));
      expect(bob.rooms.has('r1')).toBe(false);
      expect(carol.rooms.has('r1')).toBe(true);
      expect(sent).toEqual([
        { connectionId: 'c-bob', frame: { type: 'room_left', room_id: 'r1', ...(reason ? { reason } : {}) } },
      ]);
    }
  });
});

describe('a resume from the recent frames', () => {
  const AT = '2024-05-01T10:00:00.000Z';
  const setUp = (maxRooms = 10) => {
    const sent: string[] = [];
    const outbox = { sendRaw: (_connection: unknown, text: string) => sent.push(text) } as unknown as Outbox;
    const fanout = fanoutKeeping(maxRooms, outbox);
    const connection = newConnection('c1', '127.0.0.1');
    connection.ws = {} as typeof connection.ws;
    return { sent, fanout, connection };
  };
  const seqsOf = (sent: string[]) => sent.map((text) => (JSON.parse(text) as { seq: number }).seq);

  it('sends what the room published after the client’s last seq, and says how far that reaches', () => {
    const { sent, fanout, connection } = setUp();
    for (let seq = 1; seq <= 5; seq++) fanout.publishEvent(messageIn('r1', seq));
    expect(fanout.replayRecent(connection, 'r1', 2)).toBe(5);
    expect(seqsOf(sent)).toEqual([3, 4, 5]);
  });

  it('leaves to history a room whose earlier messages changed since, and every room after an erasure', () => {
    const { sent, fanout, connection } = setUp();
    for (let seq = 1; seq <= 3; seq++) fanout.publishEvent(messageIn('r1', seq));
    for (let seq = 1; seq <= 3; seq++) fanout.publishEvent(messageIn('r2', seq));
    const deleted = { room_id: 'r1', message_id: 'msg_2', seq: 2, deleted_by: 'alice', deleted_at: AT };
    fanout.publishEvent(eventIn('r1', 4, { type: 'MessageDeleted', data: deleted } as MessageServiceEvent));
    expect(fanout.replayRecent(connection, 'r1', 1)).toBeNull();
    expect(fanout.replayRecent(connection, 'r2', 2)).toBe(3);
    fanout.forgetRecentFrames();
    expect(fanout.replayRecent(connection, 'r2', 2)).toBeNull();
    expect(seqsOf(sent)).toEqual([3]);
  });

  it('leaves to history a client behind what is kept, and a room forgotten with its progress', () => {
    const { sent, fanout, connection } = setUp(1);
    fanout.publishEvent(messageIn('r1', 1));
    expect(fanout.replayRecent(connection, 'r1', 0)).toBeNull();
    fanout.publishEvent(messageIn('r2', 1));
    expect(fanout.publishedSeq('r1')).toBe(0);
    expect(fanout.replayRecent(connection, 'r1', 1)).toBeNull();
    expect(sent).toEqual([]);
  });
});
